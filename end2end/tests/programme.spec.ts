import { test, expect } from "@playwright/test";
import { hydrated, loggedIn } from "./helpers";

// Story 1: the organiser schedules a forum that collides with a plenary, sees the clash before
// saving, moves it, and releases the programme with a changelog; a visitor filters the grid to
// thematic fora, reads what changed, and downloads the calendar. Both projects run against one
// server, so each adds its own forum in its own room.

const SLUG = "mexico-city-2015";

test("the organiser resolves a clash and releases; a visitor sees what changed", async ({ browser }, info) => {
  test.setTimeout(120_000);
  const desktop = info.project.name === "desktop";
  const title = desktop ? "Forum on public libraries" : "Forum on city museums";
  const room = desktop ? "Sala Coyoacán" : "Sala Chapultepec";
  const chair = desktop ? "Ana Pérez" : "Bo Lindqvist";
  const errors: string[] = [];

  // a visitor has the programme open: a light page (no WASM) that follows the release below
  const watcher = await (await browser.newContext()).newPage();
  const fetched: string[] = [];
  watcher.on("request", (r) => fetched.push(r.url()));
  watcher.on("pageerror", (e) => errors.push(e.message));
  await watcher.goto(`/conferences/${SLUG}/programme`);
  await hydrated(watcher);
  await watcher.evaluate(() => ((window as any).__notReloaded = true));
  await expect(watcher.getByRole("main")).not.toContainText(title);

  const organiser = await loggedIn(browser, "organiser@example.org", "demo-organiser");
  organiser.on("pageerror", (e) => errors.push(e.message));
  await organiser.goto(`/conferences/${SLUG}/programme`);
  await hydrated(organiser);
  await organiser.getByRole("link", { name: "Manage the programme" }).click();
  await expect(organiser.getByRole("heading", { level: 1, name: "Manage the programme" })).toBeVisible();
  await organiser.getByRole("link", { name: "Add a session" }).click();
  await expect(organiser.getByRole("heading", { level: 1, name: "Add a session" })).toBeVisible();

  // a forum during Plenary 4 (Tuesday 14:00–15:30): the clash shows before saving
  const form = organiser.getByRole("form", { name: "Session" });
  await form.getByLabel("Kind").selectOption("thematic_forum");
  // typed as a person types: Tab goes on to the description while the clash check runs, and
  // nothing typed is lost
  await form.getByLabel("Title").click();
  await organiser.keyboard.type(title);
  await organiser.keyboard.press("Tab");
  await expect(form.getByLabel("Description")).toBeFocused();
  await organiser.keyboard.type("Typed at the keyboard.");
  await expect(form.getByLabel("Title")).toHaveValue(title);
  await expect(form.getByLabel("Description")).toHaveValue("Typed at the keyboard.");
  await form.getByLabel("Starts").fill("2015-09-29T14:00");
  await form.getByLabel("Ends").fill("2015-09-29T15:00");
  await form.getByLabel("Room").selectOption({ label: `${room} (120 seats)` });
  await form.getByLabel("Seats").fill("60");
  await form.getByLabel("Chairs").click();
  await organiser.keyboard.type(chair);
  // the first click on save, right after typing, is a save: without accepting the clash it
  // saves nothing and says why
  await form.getByRole("button", { name: "Save the session" }).click();
  await expect(form.getByRole("alert")).toContainText("Not saved");
  const clashes = form.getByRole("region", { name: "Clashes" });
  await expect(clashes).toContainText("during “Plenary 4");
  await expect(form.getByLabel("Description")).toHaveValue("Typed at the keyboard.");

  // moved after the plenary, it has no clash and saves
  await form.getByLabel("Starts").fill("2015-09-29T17:00");
  await form.getByLabel("Ends").fill("2015-09-29T18:00");
  await expect(clashes).toContainText("No clashes.");
  await form.getByRole("button", { name: "Save the session" }).click();
  await expect(organiser).toHaveURL(/\/programme\/sessions\/\d+\/edit$/);
  await expect(organiser.getByRole("heading", { level: 1, name: `Edit “${title}”` })).toBeVisible();

  // not public yet: the organiser releases it with a changelog
  await organiser.getByRole("link", { name: "← The working programme" }).click();
  const release = organiser.getByRole("form", { name: "Release the programme" });
  await expect(organiser.getByRole("region", { name: /Release version/ })).toContainText(title);
  await release.getByLabel("Changelog").fill(`New: ${title}, Tuesday 17:00.`);
  await release.getByRole("button", { name: /Release version \d+/ }).click();
  // once released, the working programme is the public one: the form gives way to the news
  await expect(organiser.getByRole("status").filter({ hasText: /Version \d+ is released/ })).toBeVisible();
  await expect(organiser.getByText("The working programme is the same as the public one.")).toBeVisible();
  await organiser.context().close();

  // the visitor's open page: the notice and the new session, without a reload or any WASM
  await expect(watcher.getByRole("log", { name: "Live updates" })).toContainText("The programme has a new release.");
  await expect(watcher.getByRole("main")).toContainText(title);
  expect(await watcher.evaluate(() => (window as any).__notReloaded)).toBe(true);
  expect(fetched.filter((u) => u.includes(".wasm") || u.includes("/pkg/conference") && u.endsWith(".js"))).toEqual([]);
  await watcher.screenshot({ path: `screenshots/light-programme-live-${info.project.name}.png` });
  await watcher.context().close();

  // a visitor filters the grid to thematic fora
  const visitor = await (await browser.newContext()).newPage();
  visitor.on("pageerror", (e) => errors.push(e.message));
  await visitor.goto(`/conferences/${SLUG}/programme?view=grid`);
  await hydrated(visitor);
  // phones show the filters behind a summary line; wider screens open them
  if (!desktop) await visitor.getByText("Filters, search and time zone").click();
  const filters = visitor.getByRole("search", { name: "Filter the programme" });
  await filters.getByLabel("Kind").selectOption("thematic_forum");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(visitor).toHaveURL(/kind=thematic_forum/);
  await expect(visitor).toHaveURL(/view=grid/);
  const tuesday = visitor.getByRole("region", { name: "Tuesday 29 September 2015, by room" });
  await expect(tuesday.getByRole("article", { name: title })).toBeVisible();
  await expect(tuesday.getByRole("heading", { level: 3, name: room })).toBeVisible();
  await expect(visitor.getByRole("article", { name: /Plenary 4/ })).toHaveCount(0);
  await expect(visitor.getByRole("status").filter({ hasText: "Showing" })).toContainText(/Showing \d+ of \d+ sessions/);

  // the filtered view can be shared: the address alone gives it
  const shared = await (await browser.newContext()).newPage();
  await shared.goto(visitor.url());
  await expect(shared.getByRole("article", { name: title })).toBeVisible();
  await expect(shared.getByRole("article", { name: /Plenary 4/ })).toHaveCount(0);
  await shared.context().close();

  // what changed
  await visitor.getByRole("link", { name: "What changed" }).click();
  await expect(visitor.getByRole("heading", { level: 1, name: "What changed in the programme" })).toBeVisible();
  const latest = visitor.getByRole("region").filter({ hasText: `New: ${title}` });
  await expect(latest.getByRole("listitem").filter({ hasText: title })).toContainText("Added");

  // the calendar: the new forum at 17:00 in Mexico City, 22:00 UTC
  await visitor.goto(`/conferences/${SLUG}/programme`);
  await hydrated(visitor);
  const [download] = await Promise.all([
    visitor.waitForEvent("download"),
    visitor.getByRole("link", { name: "Download the programme (.ics)" }).click(),
  ]);
  const ics = require("node:fs").readFileSync((await download.path())!, "utf8");
  expect(ics).toContain(`SUMMARY:${title}`);
  expect(ics).toContain("DTSTART:20150929T220000Z");
  expect(ics).toContain("SEQUENCE:0");

  expect(errors).toEqual([]);
});

// Two organisers change one room from pages opened at the same time: the second change is
// refused, says why, and the page shows the first one; nothing is silently overwritten.
test("an organiser's stale change to a room is refused, not lost", async ({ browser }, info) => {
  const name = `Annex ${info.project.name}`;
  const first = await loggedIn(browser, "organiser@example.org", "demo-organiser");
  await first.goto(`/conferences/${SLUG}/programme/manage`);
  await hydrated(first);
  const add = first.getByRole("form", { name: "Add a room" });
  await add.getByLabel("Room name").fill(name);
  await add.getByLabel("Seats").fill("80");
  await add.getByRole("button", { name: "Add the room" }).click();
  const room = (p: typeof first) => p.getByRole("form", { name: `Room ${name}` });
  await expect(room(first).getByLabel("Seats")).toHaveValue("80");

  // a second page, opened now, before the first one's next change
  const second = await first.context().newPage();
  await second.goto(`/conferences/${SLUG}/programme/manage`);
  await hydrated(second);
  await expect(room(second).getByLabel("Seats")).toHaveValue("80");

  await room(first).getByLabel("Seats").fill("95");
  await room(first).getByRole("button", { name: "Save" }).click();
  await first.reload();
  await hydrated(first);
  await expect(room(first).getByLabel("Seats")).toHaveValue("95");

  await room(second).getByLabel("Seats").fill("40");
  await room(second).getByRole("button", { name: "Save" }).click();
  await expect(second.getByRole("alert").filter({ hasText: `Someone else changed “${name}”` })).toBeVisible();
  await expect(room(second).getByLabel("Seats")).toHaveValue("95");
  await first.context().close();
});
