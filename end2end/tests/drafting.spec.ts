import { test, expect, Page } from "@playwright/test";
import { hydrated, loggedIn } from "./helpers";

// Both projects run against one server and database: each run adds its own paragraph.

const XSS = `<img src=x onerror="window.__xss=1"> [link](javascript:window.__xss=2) <svg onload="window.__xss=3">`;

async function noScriptRan(page: Page) {
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
}

test("the committee edits, a delegation amends, the committee accepts; nothing typed runs as script", async ({ browser }, info) => {
  const mark = `${info.project.name}-${Date.now()}`;
  const committee = await loggedIn(browser, "committee@example.org", "demo-committee");

  // the committee adds a paragraph, with a live preview that never runs script
  await committee.goto("/conferences/mexico-city-2015/declaration/edit");
  await hydrated(committee);
  const editor = committee.getByRole("form", { name: "Edit the declaration" });
  const text = editor.getByLabel("Text of the declaration (Markdown)");
  const before = await text.inputValue();
  await text.fill(`${before.trimEnd()}\n\nWe, the participants (${mark}), commit to learning for all. ${XSS}\n`);
  const preview = committee.getByRole("region", { name: "Preview" });
  await expect(preview).toContainText(`We, the participants (${mark})`);
  // the new paragraph, after the last one, is labelled "N bis" (or "ter"...) before saving,
  // and keeps that label once saved; the paragraphs before it keep theirs
  const newLabel = preview.getByText(/^\d+ (bis|ter|quater|quinquies|sexies|septies|octies|novies|decies|undecies)$|^\d+\.\d+$/).last();
  await expect(newLabel).toBeVisible();
  const label = (await newLabel.textContent())!.trim();
  await noScriptRan(committee);
  await editor.getByLabel("Message").fill(`Add the commitment ${mark}`);
  await editor.getByRole("button", { name: "Save a new version" }).click();
  await expect(committee.getByRole("status").filter({ hasText: /Saved as version \d+/ })).toBeVisible();
  await noScriptRan(committee);
  await committee.goto("/conferences/mexico-city-2015/declaration");
  const article = committee.getByRole("article");
  await expect(article.getByText(label, { exact: true })).toBeVisible();
  await expect(article.getByText("5", { exact: true })).toBeVisible();

  // a delegation (the Danish head) proposes an amendment to that paragraph
  const trine = await loggedIn(browser, "trine@example.org", "demo-delegate");
  await trine.goto("/conferences/mexico-city-2015/amendments/new");
  await hydrated(trine);
  const propose = trine.getByRole("form", { name: "Propose an amendment" });
  await propose.getByLabel("Title").fill(`Lifelong learning ${mark}`);
  await propose.getByLabel("Rationale").fill("Learning does not stop at school.");
  const proposed = propose.getByLabel("The text as you propose it (Markdown)");
  const current = await proposed.inputValue();
  expect(current).toContain(mark);
  await proposed.fill(current.replace(`commit to learning for all`, `commit to lifelong learning for all`));
  await propose.getByRole("group", { name: "Co-sponsors" }).getByLabel("Jonas Holm (Denmark)").check();
  await propose.getByLabel("Submit to the committee now").check();
  await propose.getByRole("button", { name: "Save amendment" }).click();
  await expect(trine).toHaveURL(/\/amendments\/\d+$/);
  const amendmentUrl = new URL(trine.url()).pathname;
  // the amendment's page (its code may still be arriving when the address has changed)
  await expect(trine.getByRole("heading", { level: 1, name: `Amendment ${amendmentUrl.split("/").pop()}: Lifelong learning ${mark}` })).toBeVisible();
  await expect(trine.getByRole("definition").filter({ hasText: "Jonas Holm" })).toBeVisible();
  // it amends the paragraph the committee added, by the label the preview showed
  await expect(trine.getByText(`Paragraph ${label}`, { exact: true }).first()).toBeVisible();
  await expect(trine.locator("ins").filter({ hasText: "lifelong" }).first()).toBeVisible();
  await noScriptRan(trine);

  // the committee accepts it
  await committee.goto(amendmentUrl);
  await hydrated(committee);
  await committee.getByRole("form", { name: "Accept the amendment" }).getByRole("button", { name: "Accept" }).click();
  await expect(committee.getByRole("status").filter({ hasText: /accepted\. It became version \d+/ })).toBeVisible();

  // the versions list and the provenance view name the amendment
  await committee.goto("/conferences/mexico-city-2015/declaration/versions");
  await expect(committee.getByRole("cell", { name: new RegExp(`Amendment \\d+: Lifelong learning ${mark}`) }).first()).toBeVisible();
  await expect(committee.getByRole("link", { name: /Amendment \d+ merged/ }).first()).toBeVisible();
  await committee.goto("/conferences/mexico-city-2015/declaration/provenance");
  await hydrated(committee);
  await expect(committee.getByText(new RegExp(`Lifelong learning ${mark}`)).first()).toBeVisible();
  await noScriptRan(committee);

  // the comparison of the last two versions shows the change, drawn
  await committee.goto("/conferences/mexico-city-2015/declaration/compare");
  await hydrated(committee);
  await expect(committee.locator("ins").filter({ hasText: "lifelong" }).first()).toBeVisible();
  await noScriptRan(committee);
});
