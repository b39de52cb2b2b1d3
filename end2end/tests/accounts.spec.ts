import { test, expect, Page, Browser } from "@playwright/test";
import { hydrated, linkFromMail, logIn, loggedIn } from "./helpers";

// Both projects (desktop, phone) run against one server and database, so every test here
// tolerates what the other project's run left behind.

async function organiserPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await logIn(page, "organiser@example.org", "demo-organiser");
  await expect(page.getByRole("link", { name: "Sofía Ramírez" })).toBeVisible();
  return page;
}

test("an organiser logs in, grants a role, and logs out", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await logIn(page, "organiser@example.org", "not-the-password");
  await expect(page.getByRole("alert")).toContainText("do not match an account");

  await logIn(page, "organiser@example.org", "demo-organiser");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sofía Ramírez" })).toBeVisible();

  await page.goto("/conferences/mexico-city-2015/people");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "People and roles" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Kwame Mensah", exact: true })).toBeVisible();

  const grant = page.getByRole("form", { name: "Grant a role" });
  await grant.getByLabel("Their e-mail address").fill("someone@localhost");
  await grant.getByLabel("Role").selectOption({ label: "Drafting committee member" });
  await grant.getByRole("button", { name: "Grant role" }).click();
  await expect(grant.getByText("Enter an e-mail address like name@example.org.")).toBeVisible();

  await grant.getByLabel("Their e-mail address").fill("niels@example.org");
  await grant.getByRole("button", { name: "Grant role" }).click();
  await expect(page.getByRole("status").filter({ hasText: /drafting committee member here|already held this role/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke drafting committee member from Niels Johan Juhl-Nielsen" })).toBeVisible();

  const invite = page.getByRole("form", { name: "Create an invitation" });
  await invite.getByLabel("Role").selectOption({ label: "Delegate" });
  await invite.getByRole("button", { name: "Create invitation link" }).click();
  await expect(page.getByText(/\/invitations\/[0-9a-f]{64}/)).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await page.goto("/conferences/mexico-city-2015/people");
  await expect(page.getByRole("heading", { name: "Please log in" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("a newcomer signs up, confirms by the link in the outbox, and is logged in", async ({ page, browser }, info) => {
  const email = `ana.${info.project.name}.${Date.now()}@example.org`;
  await page.goto("/signup");
  await hydrated(page);
  const form = page.getByRole("form", { name: "Create an account" });
  await form.getByLabel("Full name").fill("Ana Pereira");
  await form.getByLabel("E-mail address").fill(email);
  await form.getByLabel("Password").fill("short");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByText("Choose a password of at least 10 characters.")).toBeVisible();
  await form.getByLabel("Password").fill("a-long-enough-password");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText("We have sent a message to that address");

  // the link arrives in the newcomer's mail (MAIL_DIR here); the organisers' outbox does not
  // show account messages at all
  const link = await linkFromMail(email, /https?:\/\/\S+\/account\/confirm\?token=[0-9a-f]+/);
  const organiser = await organiserPage(browser);
  await organiser.goto("/outbox");
  await expect(organiser.getByRole("listitem").filter({ hasText: email })).toHaveCount(0);

  await page.goto(link);
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.getByRole("link", { name: "Ana Pereira" })).toBeVisible();
});

test("a delegate signs up for a thematic forum and sees it on their agenda", async ({ page }) => {
  await logIn(page, "jonas@example.org", "demo-delegate");
  await expect(page.getByRole("link", { name: "Jonas Holm" })).toBeVisible();
  await page.goto("/conferences/mexico-city-2015/programme");
  await hydrated(page);
  // a delegate's programme page is a light one (no WASM): its links load the next page whole
  await page.getByRole("article", { name: /Thematic forum 3/ }).getByRole("link").click();
  await page.waitForURL(/\/sessions\/\d+$/);
  await hydrated(page);
  const seats = page.getByRole("region", { name: "Seats" });
  await expect(seats.getByText(/seats left/)).toBeVisible();
  // the other project's run may have left a seat behind
  if (await seats.getByRole("button", { name: "Cancel my seat" }).isVisible()) {
    await seats.getByRole("button", { name: "Cancel my seat" }).click();
    await expect(seats.getByRole("button", { name: "Sign up" })).toBeVisible();
  }
  await seats.getByRole("button", { name: "Sign up" }).click();
  await expect(seats.getByRole("status")).toContainText("You have a seat");
  await expect(seats.getByText("You have a seat.", { exact: true })).toBeVisible();

  await page.getByRole("navigation", { name: "Conference" }).getByRole("link", { name: "My agenda" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My agenda" })).toBeVisible();
  const item = page.getByRole("listitem").filter({ hasText: "Thematic forum 3" });
  await expect(item.getByText("Seat confirmed")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Plenary 1" }).getByText("Everyone attends")).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download my calendar (.ics)" }).click(),
  ]);
  const file = await download.path();
  const text = require("node:fs").readFileSync(file, "utf8");
  expect(text).toContain("BEGIN:VCALENDAR");
  expect(text).toMatch(/SUMMARY:Thematic forum 3/);
});

test("a newcomer registers with the Danish delegation and the organiser accredits them", async ({ page, browser }, info) => {
  const email = `lars.${info.project.name}.${Date.now()}@example.org`;
  const name = `Lars Jensen ${info.project.name}`;
  await page.goto("/signup");
  await hydrated(page);
  const signup = page.getByRole("form", { name: "Create an account" });
  await signup.getByLabel("Full name").fill(name);
  await signup.getByLabel("E-mail address").fill(email);
  await signup.getByLabel("Password").fill("a-long-enough-password");
  await signup.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText("We have sent a message");

  const organiser = await organiserPage(browser);
  await page.goto(await linkFromMail(email, /https?:\/\/\S+\/account\/confirm\?token=[0-9a-f]+/));
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my account" }).click();
  await expect(page).toHaveURL(/\/account$/);

  // the organiser has the queue of pending registrations open; the newcomer's will appear in it
  await organiser.goto("/conferences/mexico-city-2015/registrations?status=pending");
  await hydrated(organiser);
  await organiser.evaluate(() => ((window as any).__notReloaded = true));

  await page.goto("/conferences/mexico-city-2015/register");
  await hydrated(page);
  const form = page.getByRole("form", { name: "Registration" });
  await form.getByLabel("You take part as").selectOption({ label: "Alternate" });
  await form.getByRole("button", { name: "Register" }).click();
  await expect(form.getByText("Delegates, alternates and advisers register with their delegation: choose it.")).toBeVisible();
  await form.getByLabel("Delegation").selectOption({ label: "Denmark" });
  await form.getByLabel("Access and dietary needs").fill("Vegetarian meals");
  await form.getByLabel("Show my name on the public participant list").check();
  await form.getByRole("button", { name: "Register" }).click();
  const mine = page.getByRole("region", { name: "Your registration" });
  await expect(mine.getByText("Pending")).toBeVisible();

  // without a reload
  await expect(organiser.getByRole("heading", { level: 1, name: "Registrations" })).toBeVisible();
  await expect(organiser.getByRole("checkbox", { name: `Choose ${name}` })).toBeVisible();
  expect(await organiser.evaluate(() => (window as any).__notReloaded)).toBe(true);
  await organiser.getByRole("checkbox", { name: `Choose ${name}` }).check();
  await organiser.getByLabel("Decision").selectOption({ label: "Accredit" });
  await organiser.getByRole("button", { name: "Apply to the chosen registrations" }).click();
  await expect(organiser.getByRole("status")).toContainText("1 registration accredited.");

  await page.reload();
  await expect(page.getByRole("region", { name: "Your registration" }).getByText("Accredited")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("log-in and log-out work as plain forms", async ({ page }) => {
    await page.goto("/login");
    const form = page.getByRole("form", { name: "Log in" });
    await form.getByLabel("E-mail address").fill("committee@example.org");
    await form.getByLabel("Password").fill("demo-committee");
    await form.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("link", { name: "Kwame Mensah" })).toBeVisible();
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  });
});

test("the head of the Danish delegation sees the members and nominates an adviser", async ({ page }, info) => {
  await logIn(page, "trine@example.org", "demo-delegate");
  await expect(page.getByRole("link", { name: "Trine Bendix Knudsen" })).toBeVisible();
  await page.goto("/conferences/mexico-city-2015/delegation");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Delegation: Denmark" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Jonas Holm", exact: true })).toBeVisible();
  const form = page.getByRole("form", { name: "Nominate a member" });
  const name = `Ole Hansen ${info.project.name}`;
  await form.getByLabel("Full name").fill(name);
  await form.getByLabel("E-mail address").fill(`ole.${info.project.name}.${Date.now()}@example.org`);
  await form.getByLabel("As").selectOption({ label: "Adviser" });
  await form.getByRole("button", { name: "Nominate" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${name} is nominated` })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: name })).toBeVisible();
});

test("a delegate turns a notification off on the account page and on again", async ({ browser }) => {
  const page = await loggedIn(browser, "mette@example.org", "demo-delegate");
  await page.goto("/account");
  await hydrated(page);
  const form = page.getByRole("form", { name: "Notifications" });
  const rejected = form.getByLabel("an amendment I sponsor is rejected");
  await expect(rejected).toBeChecked();
  await rejected.uncheck();
  await form.getByRole("button", { name: "Save notifications" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved: 1 notification turned off." })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("form", { name: "Notifications" }).getByLabel("an amendment I sponsor is rejected")).not.toBeChecked();
  await expect(page.getByRole("form", { name: "Notifications" }).getByLabel("the declaration is adopted")).toBeChecked();
  // on again, for the other stories
  await hydrated(page);
  await page.getByRole("form", { name: "Notifications" }).getByLabel("an amendment I sponsor is rejected").check();
  await page.getByRole("form", { name: "Notifications" }).getByRole("button", { name: "Save notifications" }).click();
  await expect(page.getByRole("status").filter({ hasText: "You will get every notification." })).toBeVisible();
});
