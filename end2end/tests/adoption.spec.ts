import { test, expect, devices } from "@playwright/test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { hydrated, loggedIn } from "./helpers";

// Runs after the desktop and phone projects (see playwright.config.ts): adoption freezes the
// declaration for good.

const CONF = "/conferences/mexico-city-2015";

test("the organiser adopts and publishes; a visitor reads, downloads and verifies the text; edits are refused", async ({ browser }) => {
  // before adoption, the committee tags paragraph 5 with a Key Feature, in the editor
  const committee = await loggedIn(browser, "committee@example.org", "demo-committee");
  await committee.goto(`${CONF}/declaration/edit`);
  await hydrated(committee);
  const tagging = committee.getByRole("form", { name: "Tag a paragraph with Key Features" });
  await tagging.getByLabel("Paragraph").selectOption("5");
  await tagging.getByLabel("C2 Re-vitalised learning in families and communities").check();
  await tagging.getByRole("button", { name: "Save the Key Features" }).click();
  await expect(committee.getByRole("status").filter({ hasText: "Paragraph 5 is tagged C2." })).toBeVisible();
  await expect(committee.getByRole("list", { name: "Tagged paragraphs" })).toContainText("Paragraph 5: C2");

  // the organiser adopts the current version at the closing session
  const organiser = await loggedIn(browser, "organiser@example.org", "demo-organiser");
  await organiser.goto(`${CONF}/declaration/adopt`);
  await hydrated(organiser);
  const adopt = organiser.getByRole("form", { name: "Adopt the declaration" });
  const version = adopt.getByLabel("Version to adopt");
  await expect(version).toHaveValue(/^\d+$/);
  const adopted = await version.inputValue();
  await expect(adopt.getByLabel("Date of adoption")).toHaveValue("2015-09-30");
  await expect(adopt.getByLabel("Place of adoption")).toHaveValue("Mexico City, Mexico");
  await adopt.getByLabel("Session of adoption").selectOption({ label: "Closing ceremony and adoption of the declaration (Wed 30 September, 10:00)" });
  await adopt.getByLabel(/The conference adopted this version/).check();
  await adopt.getByRole("button", { name: "Adopt this version" }).click();
  await expect(organiser.getByRole("status").filter({ hasText: `Version ${adopted} is adopted` }).first()).toBeVisible();

  // and publishes it, keeping the drafting history private
  const publish = organiser.getByRole("form", { name: "Publish the declaration" });
  await expect(publish.getByLabel(/Make the drafting history public/)).not.toBeChecked();
  await publish.getByRole("button", { name: "Publish the declaration" }).click();
  await expect(organiser.getByRole("status").filter({ hasText: "The declaration is published" })).toBeVisible();

  // a visitor opens the permanent page
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${CONF}/declaration`);
  await visitor.getByRole("link", { name: /Read the final text/ }).click();
  await expect(visitor).toHaveURL(new RegExp(`${CONF}/declaration/final$`));
  await hydrated(visitor);
  const article = visitor.getByRole("article", { name: "Mexico City Declaration on Sustainable Learning Cities" });
  await expect(article.getByRole("heading", { level: 1 })).toHaveText("Mexico City Declaration on Sustainable Learning Cities");
  await expect(article.getByText("Adopted at Mexico City, Mexico on Wednesday 30 September 2015, at Closing ceremony and adoption of the declaration.")).toBeVisible();
  // paragraphs renumbered from 1 at adoption
  await expect(article.getByText("1", { exact: true }).first()).toBeVisible();
  await expect(article.getByText(/ bis$/)).toHaveCount(0);
  // the appendix names the adopted amendments (the drafting stories accepted some)
  const appendix = visitor.getByRole("region", { name: "Appendix: adopted amendments" });
  await expect(appendix.getByRole("listitem").first()).toContainText(/Amendment \d+: .* — sponsored by /);
  await expect(appendix.getByText("The drafting history is kept private by the organisers.")).toBeVisible();

  // downloads final.md; its SHA-256 is the one on the page
  const sha = (await visitor.getByLabel("SHA-256").textContent())!.trim();
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  const [download] = await Promise.all([
    visitor.waitForEvent("download"),
    visitor.getByRole("link", { name: /The adopted text in Markdown/ }).click(),
  ]);
  const md = readFileSync((await download.path())!);
  expect(createHash("sha256").update(md).digest("hex")).toBe(sha);
  expect(md.toString("utf8")).toContain("Mexico City Declaration on Sustainable Learning Cities");

  // the same page on a phone
  const phone = await (await browser.newContext({ ...devices["Pixel 7"] })).newPage();
  await phone.goto(`${CONF}/declaration/final`);
  await expect(phone.getByRole("heading", { name: "Mexico City Declaration on Sustainable Learning Cities" })).toBeVisible();
  await expect(phone.getByLabel("SHA-256")).toHaveText(sha);

  // the Key Features framework: the emblem with its counts, and each area's list
  await visitor.getByRole("link", { name: "Key Features", exact: true }).click();
  await expect(visitor).toHaveURL(new RegExp(`${CONF}/key-features$`));
  await expect(visitor.getByRole("heading", { name: "Key Features of Learning Cities" })).toBeVisible();
  const emblem = visitor.getByRole("group", { name: /drawn as the UNESCO emblem/ });
  await expect(emblem.getByRole("link")).toHaveCount(12);
  await expect(emblem.getByRole("link", { name: /^C2 Re-vitalised learning in families and communities: 1 paragraph/ })).toBeVisible();
  const c2 = visitor.getByRole("region", { name: "C2 Re-vitalised learning in families and communities" });
  await expect(c2.getByRole("link", { name: /^Paragraph \d+$/ })).toHaveCount(1);
  await c2.getByRole("link", { name: /^Paragraph \d+$/ }).click();
  await expect(visitor).toHaveURL(new RegExp(`${CONF}/declaration/final#para-\\d+$`));

  // an attempt to edit afterwards is refused
  await committee.goto(`${CONF}/declaration/edit`);
  await expect(committee.getByRole("status")).toContainText("The declaration is no longer being drafted: its text cannot change.");
  await expect(committee.getByRole("form", { name: "Edit the declaration" })).toHaveCount(0);
  const trine = await loggedIn(browser, "trine@example.org", "demo-delegate");
  await trine.goto(`${CONF}/amendments/new`);
  await expect(trine.getByRole("status")).toContainText("amendments are closed");
  // adopting again is refused with a clear message
  await organiser.goto(`${CONF}/declaration/adopt`);
  await expect(organiser.getByRole("form", { name: "Adopt the declaration" })).toHaveCount(0);
  await expect(organiser.getByRole("status").filter({ hasText: `Version ${adopted} is adopted` })).toBeVisible();
});
