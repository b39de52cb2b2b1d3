import { test, expect, Page } from "@playwright/test";
import { hydrated, logIn, newcomer } from "./helpers";

// The drafting story of issue 5: two delegations amend the same paragraph; the committee sees
// the collision and accepts one; the other cannot be moved onto the new text by itself, so its
// sponsor resolves it; the committee accepts it with a modification; the versions, the
// comparison and the provenance view show both amendments.
//
// Both projects share one server: each run works on a paragraph of its own.

const SLUG = "mexico-city-2015";

async function as(page: Page, email: string, password: string, name: string): Promise<Page> {
  await logIn(page, email, password);
  await expect(page.getByRole("link", { name })).toBeVisible();
  return page;
}

async function propose(page: Page, title: string, change: (text: string) => string) {
  await page.goto(`/conferences/${SLUG}/amendments/new`);
  await hydrated(page);
  const form = page.getByRole("form", { name: "Propose an amendment" });
  await form.getByLabel("Title").fill(title);
  const text = form.getByLabel("The text as you propose it (Markdown)");
  await text.fill(change(await text.inputValue()));
  await form.getByLabel("Submit to the committee now").check();
  await form.getByRole("button", { name: "Save amendment" }).click();
  await expect(page).toHaveURL(/\/amendments\/\d+$/);
  return new URL(page.url()).pathname;
}

test("two delegations amend one paragraph; one is accepted, the other resolved and accepted with a modification", async ({ browser, page }, info) => {
  test.setTimeout(180_000);
  const mark = `${info.project.name}-${Date.now()}`;
  const paragraph = `Learning cities (${mark}) publish what they learn every year.`;

  // the committee writes the paragraph
  const committee = await as(page, "committee@example.org", "demo-committee", "Kwame Mensah");
  await committee.goto(`/conferences/${SLUG}/declaration/edit`);
  await hydrated(committee);
  const editor = committee.getByRole("form", { name: "Edit the declaration" });
  const text = editor.getByLabel("Text of the declaration (Markdown)");
  await text.fill(`${(await text.inputValue()).trimEnd()}\n\n${paragraph}\n`);
  await editor.getByLabel("Message").fill(`Publishing (${mark})`);
  await editor.getByRole("button", { name: "Save a new version" }).click();
  await expect(committee.getByRole("status").filter({ hasText: /Saved as version \d+/ })).toBeVisible();

  // a second delegation, headed by a newcomer
  const organiser = await as(await (await browser.newContext()).newPage(), "organiser@example.org", "demo-organiser", "Sofía Ramírez");
  const headName = info.project.name === "desktop" ? "Wanjiru Kamau" : "Amina Njoroge";
  const headEmail = `${headName.split(" ")[0].toLowerCase()}.${Date.now()}@example.org`;
  const delegation = info.project.name === "desktop" ? "Kenya" : "Uganda";
  const kenya = await newcomer(browser, headName, headEmail);
  await organiser.goto(`/conferences/${SLUG}/registrations`);
  await hydrated(organiser);
  const add = organiser.getByRole("form", { name: "Add a delegation" });
  await add.getByLabel("Name").fill(delegation);
  await add.getByLabel("Country").fill(delegation);
  await add.getByLabel("Region").selectOption({ label: "Africa" });
  await add.getByLabel("Head's e-mail address").fill(headEmail);
  await add.getByRole("button", { name: "Add the delegation" }).click();
  await expect(organiser.getByRole("status").filter({ hasText: `headed by ${headName}` })).toBeVisible();
  await kenya.goto(`/conferences/${SLUG}/register`);
  await hydrated(kenya);
  const reg = kenya.getByRole("form", { name: "Registration" });
  await reg.getByLabel("You take part as").selectOption({ label: "Member-state delegate" });
  await reg.getByLabel("Delegation").selectOption({ label: delegation });
  await reg.getByRole("button", { name: "Register" }).click();
  await expect(kenya.getByRole("region", { name: "Your registration" }).getByText("Pending")).toBeVisible();

  // Denmark and the second delegation amend the same words of that paragraph
  const trine = await as(await (await browser.newContext()).newPage(), "trine@example.org", "demo-delegate", "Trine Bendix Knudsen");
  const titleA = `Every two years (${mark})`;
  const titleB = `In every language (${mark})`;
  const urlA = await propose(trine, titleA, (t) => t.replace(paragraph, paragraph.replace("every year", "every two years")));
  const urlB = await propose(kenya, titleB, (t) => t.replace(paragraph, paragraph.replace("every year", "each year, in every language")));
  const numberA = urlA.split("/").pop();
  const numberB = urlB.split("/").pop();

  // the committee sees them collide, and accepts Denmark's
  await committee.goto(`/conferences/${SLUG}/amendments`);
  await hydrated(committee);
  const cardA = committee.getByRole("listitem").filter({ hasText: titleA });
  await expect(cardA.getByText("Collides with")).toBeVisible();
  await expect(cardA.getByRole("link", { name: `amendment ${numberB}` })).toBeVisible();
  await committee.goto(urlA);
  await hydrated(committee);
  await committee.getByRole("form", { name: "Accept the amendment" }).getByRole("button", { name: "Accept" }).click();
  await expect(committee.getByRole("status").filter({ hasText: /accepted\. It became version \d+/ })).toBeVisible();

  // the other cannot move by itself: its sponsor sees the conflict and resolves it
  await kenya.goto(urlB);
  await hydrated(kenya);
  await expect(kenya.getByRole("heading", { name: "Needs an update" })).toBeVisible();
  const update = kenya.getByRole("form", { name: "Update the amendment" });
  const marked = update.getByLabel("The text as you propose it (Markdown)");
  const withMarkers = await marked.inputValue();
  expect(withMarkers).toContain("<<<<<<<");
  const resolvedLine = paragraph.replace("every year", "every two years, in every language");
  await marked.fill(withMarkers.replace(/<<<<<<<[^\n]*\n[\s\S]*?\n>>>>>>>[^\n]*\n?/, `${resolvedLine}\n`));
  await update.getByRole("button", { name: "Update amendment" }).click();
  await expect(kenya.getByRole("heading", { name: "Needs an update" })).toHaveCount(0);

  // the committee accepts it with a modification of its own
  await committee.goto(urlB);
  await hydrated(committee);
  // the form is folded away under its summary
  await committee.getByText("Accept with modification", { exact: true }).first().click();
  const modify = committee.getByRole("form", { name: "Accept with modification" });
  const modified = modify.getByLabel("The text as the committee accepts it (Markdown)");
  await modified.fill((await modified.inputValue()).replace("in every language", "in the languages of their residents"));
  await modify.getByRole("button", { name: "Accept with modification" }).click();
  await expect(committee.getByRole("status").filter({ hasText: /accepted with modification\. It became version \d+/ })).toBeVisible();

  // both amendments are in the history, the comparison and the provenance view
  await committee.goto(`/conferences/${SLUG}/declaration/versions`);
  await expect(committee.getByRole("cell", { name: new RegExp(`Amendment ${numberA}: ${titleA.replace(/[()]/g, "\\$&")}`) })).toBeVisible();
  await expect(committee.getByRole("cell", { name: new RegExp(`Amendment ${numberB}: ${titleB.replace(/[()]/g, "\\$&")}`) })).toBeVisible();
  await committee.goto(`/conferences/${SLUG}/declaration/compare`);
  await hydrated(committee);
  await expect(committee.locator("ins").filter({ hasText: "languages of their residents" }).first()).toBeVisible();
  await committee.goto(`/conferences/${SLUG}/declaration/provenance`);
  await hydrated(committee);
  await expect(committee.getByText(titleA).first()).toBeVisible();
  await expect(committee.getByText(titleB).first()).toBeVisible();
  await expect(committee.getByRole("region", { name: "The current text by source" })).toContainText(
    paragraph.replace("every year", "every two years, in the languages of their residents"),
  );
});
