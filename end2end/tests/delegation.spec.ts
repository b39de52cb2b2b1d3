import { test, expect, Page, Browser } from "@playwright/test";
import { hydrated, linkFromMail, logIn, newcomer } from "./helpers";
import * as fs from "node:fs";

// The Danish story of issue 4, end to end in the browser: a head of delegation registers and
// nominates three colleagues; the organiser accredits the whole delegation at once; the members
// sign up for a thematic forum; the last one waits when it is full and gets the seat when
// someone cancels; a delegate downloads their calendar.
//
// Both projects (desktop, phone) run against one server and database, so each run has its own
// delegation (Greenland or the Faroe Islands, both of the Danish realm) and its own forum.

const SLUG = "mexico-city-2015";

async function openForum(page: Page, forum: string) {
  await page.goto(`/conferences/${SLUG}/programme`);
  await hydrated(page);
  // a delegate's programme page is a light one (no WASM): its links load the next page whole
  await page.getByRole("article", { name: new RegExp(forum) }).getByRole("link").click();
  await page.waitForURL(/\/sessions\/\d+$/);
  await hydrated(page);
  return page.getByRole("region", { name: "Seats" });
}

test("the head nominates colleagues, the organiser accredits the delegation, and the last member waits for a seat", async ({ page, browser }, info) => {
  test.setTimeout(240_000);
  const run = Date.now();
  const desktop = info.project.name === "desktop";
  const delegation = desktop ? "Greenland" : "Faroe Islands";
  const forum = desktop ? "Thematic forum 1" : "Thematic forum 2";
  const people = desktop
    ? ["Aaja Chemnitz", "Kuno Fencker", "Sara Olsvig", "Vivian Motzfeldt"]
    : ["Sjúrður Skaale", "Kaj Leo Johannesen", "Aksel Johannesen", "Jenis av Rana"];
  const email = (name: string) => `${name.split(" ")[0].toLowerCase().replace(/[^a-z]/g, "")}.${run}@example.org`;

  // the organiser
  await logIn(page, "organiser@example.org", "demo-organiser");
  await expect(page.getByRole("link", { name: "Sofía Ramírez" })).toBeVisible();
  const organiser = page;

  // the head has an account; the organiser adds the delegation with them as its head
  const [headName, ...colleagues] = people;
  const head = await newcomer(browser, headName, email(headName));
  await organiser.goto(`/conferences/${SLUG}/registrations`);
  await hydrated(organiser);
  const add = organiser.getByRole("form", { name: "Add a delegation" });
  await add.getByLabel("Name").fill(delegation);
  await add.getByLabel("Kind").selectOption({ label: "Member state" });
  await add.getByLabel("Country").fill("Denmark");
  await add.getByLabel("Region").selectOption({ label: "Europe and North America" });
  await add.getByLabel("Lead organisation").fill("Dansk Folkeoplysnings Samråd");
  await add.getByLabel("Head's e-mail address").fill(email(headName));
  await add.getByRole("button", { name: "Add the delegation" }).click();
  await expect(organiser.getByRole("status").filter({ hasText: `headed by ${headName}` })).toBeVisible();
  await expect(organiser.getByRole("cell", { name: headName })).toBeVisible();

  // the head registers with the delegation
  await head.goto(`/conferences/${SLUG}/register`);
  await hydrated(head);
  const reg = head.getByRole("form", { name: "Registration" });
  await reg.getByLabel("You take part as").selectOption({ label: "Member-state delegate" });
  await reg.getByLabel("Delegation").selectOption({ label: delegation });
  await reg.getByLabel("Show my name on the public participant list").check();
  await reg.getByRole("button", { name: "Register" }).click();
  await expect(head.getByRole("region", { name: "Your registration" }).getByText("Pending")).toBeVisible();

  // and nominates three colleagues
  await head.goto(`/conferences/${SLUG}/delegation`);
  await hydrated(head);
  await expect(head.getByRole("heading", { level: 1, name: `Delegation: ${delegation}` })).toBeVisible();
  const roles = ["Delegate", "Delegate", "Alternate"];
  for (const [i, name] of colleagues.entries()) {
    const nominate = head.getByRole("form", { name: "Nominate a member" });
    await nominate.getByLabel("Full name").fill(name);
    await nominate.getByLabel("E-mail address").fill(email(name));
    await nominate.getByLabel("As").selectOption({ label: roles[i] });
    await nominate.getByRole("button", { name: "Nominate" }).click();
    await expect(head.getByRole("status").filter({ hasText: `${name} is nominated` })).toBeVisible();
  }

  // each colleague creates an account, follows the nomination link and registers
  const members: Page[] = [];
  for (const name of colleagues) {
    const member = await newcomer(browser, name, email(name));
    const invitation = await linkFromMail(email(name), /https?:\/\/\S+\/invitations\/[0-9a-f]+/);
    await member.goto(invitation);
    await hydrated(member);
    await member.getByRole("button", { name: "Accept invitation" }).click();
    await expect(member).toHaveURL(/\/register\?/);
    await hydrated(member);
    const form = member.getByRole("form", { name: "Registration" });
    await expect(form.getByLabel("Delegation")).toHaveValue(/\d+/);
    await form.getByRole("button", { name: "Register" }).click();
    await expect(member.getByRole("region", { name: "Your registration" }).getByText("Pending")).toBeVisible();
    members.push(member);
  }

  // the head sees all four, pending
  await head.reload();
  await hydrated(head);
  for (const name of colleagues) {
    await expect(head.getByRole("row").filter({ hasText: name }).getByText("Pending")).toBeVisible();
  }

  // the organiser accredits the whole delegation in one go
  await organiser.goto(`/conferences/${SLUG}/registrations`);
  await hydrated(organiser);
  await organiser.getByRole("button", { name: `Accredit all 4 pending of ${delegation}` }).click();
  await expect(organiser.getByRole("status").filter({ hasText: `${delegation}: 4 registrations accredited.` })).toBeVisible();

  // the forum has three seats for the four of them
  const organiserSeats = await openForum(organiser, forum);
  await organiserSeats.getByLabel("Seats in all (empty for no limit)").fill("3");
  await organiserSeats.getByRole("button", { name: "Save seats" }).click();
  await expect(organiserSeats.getByRole("status")).toContainText("now has 3 seats");

  // the head and two colleagues get seats; the last one joins the waiting list
  for (const p of [head, members[0], members[1]]) {
    const seats = await openForum(p, forum);
    await seats.getByRole("button", { name: "Sign up" }).click();
    await expect(seats.getByText("You have a seat.", { exact: true })).toBeVisible();
  }
  const last = members[2];
  const lastSeats = await openForum(last, forum);
  await expect(lastSeats.getByText("Full: all 3 seats taken.")).toBeVisible();
  await lastSeats.getByRole("button", { name: "Join the waiting list" }).click();
  await expect(lastSeats.getByText("You are number 1 on the waiting list.", { exact: true })).toBeVisible();

  // the head gives up their seat: it goes to the one waiting, who is told
  const headSeats = await openForum(head, forum);
  await headSeats.getByRole("button", { name: "Cancel my seat" }).click();
  await expect(headSeats.getByText("Full: all 3 seats taken.")).toBeVisible();
  await expect(headSeats.getByRole("button", { name: "Join the waiting list" })).toBeVisible();
  await last.reload();
  await hydrated(last);
  await expect(last.getByRole("region", { name: "Seats" }).getByText("You have a seat.", { exact: true })).toBeVisible();
  await organiser.goto("/outbox");
  await expect(
    organiser.getByRole("listitem").filter({ hasText: email(colleagues[2]) }).getByRole("heading", { name: `You have a seat: ${forum}` }),
  ).toBeVisible();

  // on their agenda, and in the calendar they download
  await last.getByRole("navigation", { name: "Conference" }).getByRole("link", { name: "My agenda" }).click();
  await expect(last.getByRole("heading", { level: 1, name: "My agenda" })).toBeVisible();
  await expect(last.getByRole("listitem").filter({ hasText: forum }).getByText("Seat confirmed")).toBeVisible();
  const [download] = await Promise.all([
    last.waitForEvent("download"),
    last.getByRole("link", { name: "Download my calendar (.ics)" }).click(),
  ]);
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(text).toContain("BEGIN:VCALENDAR");
  expect(text).toContain(`SUMMARY:${forum}`);
});
