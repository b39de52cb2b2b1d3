import { test, expect, Page } from "@playwright/test";
import { hydrated, loggedIn } from "./helpers";

// Pages follow the conference without a reload: a delegate's open declaration shows the
// committee's new version, and the delegate's open amendment page shows the committee's
// decision. Each page is marked in the browser first: a reload would lose the mark.

const DECLARATION = "/conferences/mexico-city-2015/declaration";

async function markPage(page: Page) {
  await page.evaluate(() => ((window as any).__notReloaded = true));
}

async function stillTheSamePage(page: Page) {
  expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);
}

test("a delegate's open pages follow the committee without a reload", async ({ browser }, info) => {
  const mark = `live-${info.project.name}-${Date.now()}`;
  const jonas = await loggedIn(browser, "jonas@example.org", "demo-delegate");
  await jonas.goto(DECLARATION);
  await hydrated(jonas);
  await markPage(jonas);
  await expect(jonas.getByRole("article")).not.toContainText(mark);

  // the committee saves a new version
  const committee = await loggedIn(browser, "committee@example.org", "demo-committee");
  await committee.goto(`${DECLARATION}/edit`);
  await hydrated(committee);
  const editor = committee.getByRole("form", { name: "Edit the declaration" });
  const text = editor.getByLabel("Text of the declaration (Markdown)");
  const before = await text.inputValue();
  await text.fill(`${before.trimEnd()}\n\nWe follow the debate as it happens (${mark}).\n`);
  await editor.getByLabel("Message").fill(`Live ${mark}`);
  await editor.getByRole("button", { name: "Save a new version" }).click();
  const saved = committee.getByRole("status").filter({ hasText: /Saved as version \d+/ });
  await expect(saved).toBeVisible();
  const version = (await saved.textContent())!.match(/Saved as version (\d+)/)![1];

  // the delegate's page: the notice, then the new text, without a reload
  const live = jonas.getByRole("log", { name: "Live updates" });
  await expect(live).toContainText(`A new version of the declaration was saved: version ${version}.`);
  await expect(jonas.getByRole("article")).toContainText(`We follow the debate as it happens (${mark}).`);
  await expect(jonas.getByText(`Version ${version}`, { exact: true })).toBeVisible();
  await stillTheSamePage(jonas);
  await jonas.screenshot({ path: `screenshots/live-declaration-${info.project.name}.png` });

  // the compilation text is open in another tab of the delegate's
  const compilation = await jonas.context().newPage();
  await compilation.goto("/conferences/mexico-city-2015/declaration/compilation");
  await hydrated(compilation);
  await markPage(compilation);
  await expect(compilation.getByRole("article")).not.toContainText(`Follow closely ${mark}`);

  // the Danish head proposes an amendment to that paragraph; her co-sponsor Jonas opens it
  const trine = await loggedIn(browser, "trine@example.org", "demo-delegate");
  await trine.goto("/conferences/mexico-city-2015/amendments/new");
  await hydrated(trine);
  const propose = trine.getByRole("form", { name: "Propose an amendment" });
  await propose.getByLabel("Title").fill(`Follow closely ${mark}`);
  const proposed = propose.getByLabel("The text as you propose it (Markdown)");
  const current = await proposed.inputValue();
  await proposed.fill(current.replace(`We follow the debate as it happens (${mark})`, `We follow the debate closely as it happens (${mark})`));
  await propose.getByLabel("Submit to the committee now").check();
  await propose.getByRole("button", { name: "Save amendment" }).click();
  await expect(trine).toHaveURL(/\/amendments\/\d+$/);
  const amendmentUrl = new URL(trine.url()).pathname;
  const number = amendmentUrl.split("/").pop()!;
  // submitted: it appears in the open compilation, inline after its paragraph
  await expect(compilation.getByRole("article")).toContainText(`Amendment ${number}`);
  await expect(compilation.getByRole("article")).toContainText(`We follow the debate closely as it happens (${mark})`);
  await stillTheSamePage(compilation);
  await compilation.screenshot({ path: `screenshots/live-compilation-${info.project.name}.png` });
  await compilation.close();

  await jonas.goto(amendmentUrl);
  await hydrated(jonas);
  await markPage(jonas);
  // presence: Trine's page is open on it too
  await expect(jonas.getByText(/Here now: .*Trine Bendix Knudsen/)).toBeVisible();
  await expect(trine.getByText(/Here now: .*Jonas Holm/)).toBeVisible();
  const title = jonas.getByRole("heading", { level: 1 });
  await expect(title).toContainText(`Follow closely ${mark}`);
  await expect(jonas.getByText("submitted", { exact: true }).first()).toBeVisible();

  // the committee accepts it; the delegate's page says so at once
  await committee.goto(amendmentUrl);
  await hydrated(committee);
  await committee.getByRole("form", { name: "Accept the amendment" }).getByRole("button", { name: "Accept" }).click();
  await expect(committee.getByRole("status").filter({ hasText: /accepted\. It became version \d+/ })).toBeVisible();

  await expect(live).toContainText(`Amendment ${number}: accepted.`);
  await expect(jonas.getByText("accepted", { exact: true }).first()).toBeVisible();
  await stillTheSamePage(jonas);
  await jonas.screenshot({ path: `screenshots/live-amendment-${info.project.name}.png` });

  // the notice can be put away
  await live.getByRole("button", { name: "Dismiss this notice" }).click();
  await expect(jonas.getByText(`Amendment ${number}: accepted.`)).toBeHidden();
});
