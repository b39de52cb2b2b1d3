import { test, expect, Page } from "@playwright/test";
import { hydrated, loggedIn } from "./helpers";

// Two committee members co-edit the working draft, each in their own browser on their own
// server instance (two release servers on one PostgreSQL database: playwright.config.ts). They
// type into the same paragraph at once and both end with one text holding both edits; one of
// them drops offline, keeps typing, and catches up; one saves a version, and a delegate's open
// declaration page, on the other instance, shows it without a reload.

const SLUG = "mexico-city-2015";
const A = process.env.E2E_PG_A!;
const B = process.env.E2E_PG_B!;

/** Put the caret of the editor `offset` characters after the start of `needle`. */
async function caretAt(page: Page, needle: string, offset: number) {
  const text = page.getByLabel("Text of the declaration (Markdown)");
  await text.click();
  await text.evaluate((el: HTMLTextAreaElement, [at, by]: [string, number]) => {
    const i = el.value.indexOf(at) + by;
    el.setSelectionRange(i, i);
  }, [needle, offset] as [string, number]);
}

test("two committee members on two instances type into one paragraph and converge", async ({ browser }, info) => {
  const mark = `${info.project.name}-${Date.now() % 100000}`;

  // the secretariat's organiser joins the drafting committee (once: both runs share the database)
  const sofia = await loggedIn(browser, "organiser@example.org", "demo-organiser", B);
  await sofia.goto(`/conferences/${SLUG}/people`);
  await hydrated(sofia);
  const roles = sofia.getByRole("table");
  if (!(await roles.getByRole("row").filter({ hasText: "organiser@example.org" }).filter({ hasText: "Drafting committee member" }).count())) {
    const grant = sofia.getByRole("form", { name: "Grant a role" });
    await grant.getByLabel("Their e-mail address").fill("organiser@example.org");
    await grant.getByLabel("Role").selectOption({ label: "Drafting committee member" });
    await grant.getByRole("button", { name: "Grant role" }).click();
    await expect(roles.getByRole("row").filter({ hasText: "organiser@example.org" }).filter({ hasText: "Drafting committee member" })).toBeVisible();
  }

  // Kwame on instance A, Sofía on instance B, both in the editor
  const kwame = await loggedIn(browser, "committee@example.org", "demo-committee", A);
  for (const p of [kwame, sofia]) {
    await p.goto(`/conferences/${SLUG}/declaration/edit`);
    await hydrated(p);
    await expect(p.getByRole("status", { name: "Shared draft" })).toContainText("Connected");
  }
  const kText = kwame.getByLabel("Text of the declaration (Markdown)");
  const sText = sofia.getByLabel("Text of the declaration (Markdown)");
  await expect.poll(async () => (await kText.inputValue()) === (await sText.inputValue())).toBe(true);

  // a delegate follows the declaration page on instance B
  const jonas = await loggedIn(browser, "jonas@example.org", "demo-delegate", B);
  await jonas.goto(`/conferences/${SLUG}/declaration`);
  await hydrated(jonas);
  await jonas.evaluate(() => ((window as any).__notReloaded = true));

  // both type into the opening paragraph at once: Kwame at its start, Sofía at its end
  const paragraph = (await kText.inputValue()).split("\n\n").find((p) => p.length > 40 && !p.startsWith("#"))!;
  await caretAt(kwame, paragraph, 0);
  await caretAt(sofia, paragraph, paragraph.length);
  await Promise.all([
    kText.pressSequentially(`[K ${mark}] `, { delay: 40 }),
    sText.pressSequentially(` [S ${mark}]`, { delay: 40 }),
  ]);
  // one text everywhere, with both edits whole, each once
  await expect.poll(async () => (await kText.inputValue()) === (await sText.inputValue()), { timeout: 15_000 }).toBe(true);
  const together = await kText.inputValue();
  expect(together.split(`[K ${mark}] `).length - 1).toBe(1);
  expect(together.split(` [S ${mark}]`).length - 1).toBe(1);
  // in the one paragraph: Kwame's at its start, Sofía's at its end
  expect(together).toContain(`[K ${mark}] ${paragraph} [S ${mark}]`);
  for (const p of [kwame, sofia]) {
    await expect(p.getByRole("status", { name: "Shared draft" })).toContainText("Connected");
  }
  await kwame.screenshot({ path: `screenshots/coedit-${info.project.name}.png` });

  // Sofía drops offline and keeps typing; the editor says so; back online, it catches up
  await sofia.context().setOffline(true);
  await sText.pressSequentially(`(offline ${mark}) `, { delay: 20 });
  await expect(sofia.getByRole("status", { name: "Shared draft" })).toContainText("Offline");
  await sofia.screenshot({ path: `screenshots/coedit-offline-${info.project.name}.png` });
  await caretAt(kwame, `[K ${mark}] `, `[K ${mark}] `.length);
  await kText.pressSequentially(`(meanwhile ${mark}) `, { delay: 20 });
  await sofia.context().setOffline(false);
  await expect.poll(async () => (await kText.inputValue()) === (await sText.inputValue()), { timeout: 20_000 }).toBe(true);
  const after = await sText.inputValue();
  for (const piece of [`(offline ${mark}) `, `(meanwhile ${mark}) `, `[K ${mark}] `, ` [S ${mark}]`]) {
    expect(after.split(piece).length - 1, piece).toBe(1);
  }

  // Kwame saves the shared text as a version
  const form = kwame.getByRole("form", { name: "Edit the declaration" });
  await form.getByLabel("Message").fill(`Together ${mark}`);
  await form.getByRole("button", { name: "Save a new version" }).click();
  const saved = kwame.getByRole("status").filter({ hasText: /Saved as version \d+/ });
  await expect(saved).toBeVisible();
  const version = (await saved.textContent())!.match(/Saved as version (\d+)/)![1];

  // the delegate's page on the other instance shows it without a reload
  await expect(jonas.getByRole("article")).toContainText(`[K ${mark}]`);
  await expect(jonas.getByRole("article")).toContainText(`[S ${mark}]`);
  await expect(jonas.getByText(`Version ${version}`, { exact: true })).toBeVisible();
  expect(await jonas.evaluate(() => (window as any).__notReloaded)).toBe(true);

  // who wrote what: each passage is credited to whoever typed it
  await jonas.goto(`/conferences/${SLUG}/declaration/provenance`);
  const sources = jonas.getByRole("region", { name: "Sources" });
  await expect(sources).toContainText(`Version ${version} — Kwame Mensah`);
  await expect(sources).toContainText(`Version ${version} — Sofía Ramírez`);
  const text = jonas.getByRole("region", { name: "The current text by source" });
  // (credited word by word: a bracket or letter an earlier version had may stay with it)
  await expect(text.locator(`[title="Version ${version} — Kwame Mensah"]`).filter({ hasText: mark }).first()).toBeVisible();
  await expect(text.locator(`[title="Version ${version} — Sofía Ramírez"]`).filter({ hasText: mark }).first()).toBeVisible();
  await jonas.screenshot({ path: `screenshots/coedit-provenance-${info.project.name}.png`, fullPage: true });
  for (const p of [kwame, sofia, jonas]) await p.context().close();
});
