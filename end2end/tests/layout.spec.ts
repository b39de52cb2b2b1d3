import { test, expect, Page } from "@playwright/test";
import { hydrated, loggedIn } from "./helpers";

// On a phone nothing may be wider than the screen: a page that is makes the browser zoom out
// (the organiser's session table once did), and then taps land on the wrong controls.

const SLUG = "mexico-city-2015";

async function fitsTheScreen(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
  const [content, screen] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(content, `${path} is ${content}px wide on a ${screen}px screen`).toBeLessThanOrEqual(screen);
  // one main heading per page: the conference's header does not compete with the page's own
  await expect.soft(page.locator("h1"), `${path} has one h1`).toHaveCount(1);
}

test("every page fits a phone's width and has one main heading", async ({ browser }, info) => {
  test.skip(info.project.name !== "phone", "a phone's width only");
  test.setTimeout(90_000);
  const visitor = await (await browser.newContext()).newPage();
  for (const path of [
    "/",
    `/conferences/${SLUG}`,
    `/conferences/${SLUG}/programme`,
    `/conferences/${SLUG}/programme?view=grid`,
    `/conferences/${SLUG}/programme/changes`,
    `/conferences/${SLUG}/sessions/6`,
    `/conferences/${SLUG}/declaration`,
    `/conferences/${SLUG}/key-features`,
    "/login",
  ]) {
    await fitsTheScreen(visitor, path);
  }
  await visitor.context().close();
  for (const [email, password, paths] of [
    ["organiser@example.org", "demo-organiser", [
      `/conferences/${SLUG}/programme/manage`,
      `/conferences/${SLUG}/programme/sessions/new`,
      `/conferences/${SLUG}/programme/clashes`,
      `/conferences/${SLUG}/people`,
      `/conferences/${SLUG}/registrations`,
      "/outbox",
    ]],
    ["committee@example.org", "demo-committee", [
      `/conferences/${SLUG}/declaration/versions`,
      `/conferences/${SLUG}/declaration/edit`,
      `/conferences/${SLUG}/amendments`,
      `/conferences/${SLUG}/declaration/compare`,
      `/conferences/${SLUG}/declaration/brackets`,
      `/conferences/${SLUG}/declaration/comments`,
      `/conferences/${SLUG}/declaration/provenance`,
      `/conferences/${SLUG}/amendments/voting`,
      `/conferences/${SLUG}/declaration/screen`,
    ]],
    ["trine@example.org", "demo-delegate", [
      `/conferences/${SLUG}/delegation`,
      `/conferences/${SLUG}/agenda`,
      `/conferences/${SLUG}/amendments/new`,
      "/account",
    ]],
  ] as const) {
    const page = await loggedIn(browser, email, password);
    for (const path of paths) await fitsTheScreen(page, path);
    await page.context().close();
  }
});
