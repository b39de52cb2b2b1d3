import { test, expect } from "@playwright/test";
import { hydrated, loggedIn } from "./helpers";

// The negotiation floor: the amendment deadline and the voting order. The deadline closes
// proposals for everyone but the committee, so the story opens them again at its end (both
// projects and the later stories run against one server).

const CONF = "/conferences/mexico-city-2015";

test("a proposal sent after the deadline is refused with the deadline; the committee still acts", async ({ browser }, info) => {
  const mark = `${info.project.name}-${Date.now()}`;
  // a delegate opens the proposal form while proposals are open
  const trine = await loggedIn(browser, "trine@example.org", "demo-delegate");
  await trine.goto(`${CONF}/amendments/new`);
  await hydrated(trine);
  const propose = trine.getByRole("form", { name: "Propose an amendment" });
  await propose.getByLabel("Title").fill(`Late ${mark}`);
  const text = propose.getByLabel("The text as you propose it (Markdown)");
  await text.fill((await text.inputValue()).replace("foster lifelong learning", `foster lifelong learning (${mark})`));

  // meanwhile the organiser sets the deadline, already past
  const organiser = await loggedIn(browser, "organiser@example.org", "demo-organiser");
  try {
    await organiser.goto(`${CONF}/declaration/adopt`);
    await hydrated(organiser);
    const deadline = organiser.getByRole("form", { name: "Amendment deadline" });
    await deadline.getByLabel("Amendments close at").fill("2015-09-28T18:00");
    await deadline.getByRole("button", { name: "Save the deadline" }).click();
    await expect(organiser.getByRole("status").filter({ hasText: "Amendments closed on 28 September 2015, 18:00 CDT" })).toBeVisible();

    // the delegate sends the form: refused, with the deadline, and the text is kept
    await propose.getByLabel("Submit to the committee now").check();
    await propose.getByRole("button", { name: "Save amendment" }).click();
    await expect(propose.getByRole("alert")).toContainText("Amendments closed on 28 September 2015, 18:00 CDT");
    await expect(text).toHaveValue(new RegExp(mark));
    await expect(trine).toHaveURL(/\/amendments\/new$/);

    // the amendments page says so and offers no proposal
    await trine.goto(`${CONF}/amendments`);
    await expect(trine.getByText("Amendments closed on 28 September 2015, 18:00 CDT", { exact: false }).first()).toBeVisible();
    await expect(trine.getByRole("link", { name: "Propose an amendment" })).toHaveCount(0);
    await expect(trine.getByText(`Late ${mark}`)).toHaveCount(0);

    // the committee can still propose (a compromise)
    const committee = await loggedIn(browser, "committee@example.org", "demo-committee");
    await committee.goto(`${CONF}/amendments`);
    await expect(committee.getByRole("link", { name: "Propose an amendment" }).first()).toBeVisible();
  } finally {
    // proposals open again for the stories after this one
    await organiser.goto(`${CONF}/declaration/adopt`);
    await hydrated(organiser);
    const deadline = organiser.getByRole("form", { name: "Amendment deadline" });
    await deadline.getByLabel("Amendments close at").fill("");
    await deadline.getByRole("button", { name: "Save the deadline" }).click();
    await expect(organiser.getByRole("status").filter({ hasText: "There is no amendment deadline now." })).toBeVisible();
  }
});

test("the voting order puts the furthest-removed amendment first and the committee can move it", async ({ browser }, info) => {
  const mark = `${info.project.name}-${Date.now()}`;
  const trine = await loggedIn(browser, "trine@example.org", "demo-delegate");
  // two amendments to one sentence: a one-word change and a longer rewrite of the same words
  const proposeOne = async (title: string, from: string, to: string) => {
    await trine.goto(`${CONF}/amendments/new`);
    await hydrated(trine);
    const form = trine.getByRole("form", { name: "Propose an amendment" });
    await form.getByLabel("Title").fill(title);
    const text = form.getByLabel("The text as you propose it (Markdown)");
    const before = await text.inputValue();
    expect(before).toContain(from);
    await text.fill(before.replace(from, to));
    await form.getByLabel("Submit to the committee now").check();
    await form.getByRole("button", { name: "Save amendment" }).click();
    await expect(trine).toHaveURL(/\/amendments\/\d+$/);
    return Number(new URL(trine.url()).pathname.split("/").pop());
  };
  const small = await proposeOne(`Small ${mark}`, "every region, and the Global", "every region and the Global");
  const large = await proposeOne(
    `Large ${mark}`,
    "every region, and the Global",
    `every region of the world, large and small, rich and poor (${mark}), and the Global`,
  );

  const committee = await loggedIn(browser, "committee@example.org", "demo-committee");
  await committee.goto(`${CONF}/amendments/voting`);
  await hydrated(committee);
  await expect(committee.getByRole("heading", { level: 1, name: "Voting order" })).toBeVisible();
  const items = committee.getByRole("listitem").filter({ hasText: mark });
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText(`Amendment ${large}`);
  await expect(items.nth(1)).toContainText(`Amendment ${small}`);
  await expect(items.nth(0)).toContainText(`Changes the same words as amendment`);

  // the committee moves the small one earlier; a delegate reading the page sees the new order
  await items.nth(1).getByRole("button", { name: `Move amendment ${small} earlier` }).click();
  await expect(committee.getByRole("status").filter({ hasText: `Amendment ${small} is now voted` })).toBeVisible();
  await expect(items.nth(0)).toContainText(`Amendment ${small}`);
  await trine.goto(`${CONF}/amendments/voting`);
  const seen = trine.getByRole("listitem").filter({ hasText: mark });
  await expect(seen.nth(0)).toContainText(`Amendment ${small}`);
  await expect(seen.nth(1)).toContainText(`Amendment ${large}`);
  await expect(trine.getByRole("button", { name: /Move amendment/ })).toHaveCount(0);

  // the projector: a second browser shows the screen; the chair puts the large one up, and the
  // screen follows without a reload, the change drawn word by word in large type
  const hall = await loggedIn(browser, "jonas@example.org", "demo-delegate");
  await hall.goto(`${CONF}/declaration/screen`);
  await hydrated(hall);
  const screen = hall.getByRole("region", { name: "Plenary screen" });
  await committee.getByRole("button", { name: `Put amendment ${large} on the screen` }).click();
  await expect(committee.getByRole("status").filter({ hasText: `Amendment ${large} is on the screen.` })).toBeVisible();
  await expect(screen.getByRole("heading", { level: 1, name: `Amendment ${large}: Large ${mark}` })).toBeVisible();
  await expect(screen.locator("ins").filter({ hasText: mark })).toBeVisible();

  // the two are withdrawn, so the stories after this one find the text as it was
  for (const n of [small, large]) {
    await trine.goto(`${CONF}/amendments/${n}`);
    await hydrated(trine);
    await trine.getByRole("button", { name: "Withdraw" }).click();
    await expect(trine.getByRole("status").filter({ hasText: `Amendment ${n} is withdrawn.` }).first()).toBeVisible();
  }
  // the screen shows the outcome of the amendment on it
  await expect(screen.getByRole("status")).toHaveText("Withdrawn");
});

test("the committee brackets a passage, a delegate sees it in brackets, adoption is refused with the list, the committee agrees it", async ({ browser }) => {
  const committee = await loggedIn(browser, "committee@example.org", "demo-committee");
  await committee.goto(`${CONF}/declaration/brackets`);
  await hydrated(committee);
  const form = committee.getByRole("form", { name: "Put a passage in brackets" });
  await form.getByLabel("Paragraph").selectOption({ label: "Paragraph 1" });
  await form.getByLabel("Passage").fill("Beijing Declaration");
  await form.getByLabel("Alternatives (optional)").fill("Beijing Declaration of 2013");
  await form.getByRole("button", { name: "Put in brackets" }).click();
  await expect(committee.getByRole("status").filter({ hasText: "“Beijing Declaration” is in brackets in paragraph 1 with one alternative" })).toBeVisible();

  // a delegate reads the draft: the passage stands in brackets, and the status view counts it
  const jonas = await loggedIn(browser, "jonas@example.org", "demo-delegate");
  await jonas.goto(`${CONF}/declaration`);
  await expect(jonas.getByText(/recall the \[Beijing Declaration \/ Beijing Declaration of 2013\] on Building/).first()).toBeVisible();
  await jonas.goto(`${CONF}/declaration/brackets`);
  await expect(jonas.getByRole("heading", { name: /Paragraph 1 1 passage in brackets/ })).toBeVisible();
  await expect(jonas.getByRole("img", { name: /1 with passages in brackets/ })).toBeVisible();
  await expect(jonas.getByRole("button", { name: /Agree/ })).toHaveCount(0);

  // the organiser cannot adopt while it stands: refused with the list
  const organiser = await loggedIn(browser, "organiser@example.org", "demo-organiser");
  await organiser.goto(`${CONF}/declaration/adopt`);
  await hydrated(organiser);
  const adopt = organiser.getByRole("form", { name: "Adopt the declaration" });
  await adopt.getByLabel(/The conference adopted this version/).check();
  await adopt.getByRole("button", { name: "Adopt this version" }).click();
  await expect(organiser.getByRole("alert")).toContainText("cannot be adopted while passages are not agreed: Paragraph 1: “Beijing Declaration / Beijing Declaration of 2013” in brackets");

  // the committee agrees the first wording ad referendum, then confirms it: the brackets go
  await committee.reload();
  await hydrated(committee);
  await committee.getByRole("button", { name: "Agree “Beijing Declaration” in paragraph 1 ad ref" }).click();
  await expect(committee.getByRole("status").filter({ hasText: "“Beijing Declaration / Beijing Declaration of 2013” in paragraph 1 is agreed ad referendum" })).toBeVisible();
  await expect(committee.getByRole("heading", { name: /Paragraph 1 Agreed ad ref/ })).toBeVisible();
  await committee.getByRole("button", { name: "Confirm “Beijing Declaration” in paragraph 1 as agreed" }).click();
  await expect(committee.getByRole("status").filter({ hasText: "is agreed: its brackets are gone" })).toBeVisible();
  await jonas.goto(`${CONF}/declaration`);
  await expect(jonas.getByText(/recall the Beijing Declaration on Building/).first()).toBeVisible();
  await expect(jonas.getByText(/\[Beijing/)).toHaveCount(0);
});

test("a delegate comments on a passage of the draft; the committee resolves it and it folds away", async ({ browser }, info) => {
  const mark = `${info.project.name}-${Date.now()}`;
  const jonas = await loggedIn(browser, "jonas@example.org", "demo-delegate");
  await jonas.goto(`${CONF}/declaration/comments`);
  await hydrated(jonas);
  const form = jonas.getByRole("form", { name: "Comment on a passage" });
  await form.getByLabel("Paragraph").selectOption({ label: "Paragraph 2" });
  await form.getByLabel("Passage").fill("learning regions");
  await form.getByLabel("Your comment").fill(`Regions of which size? (${mark})`);
  await form.getByRole("button", { name: "Add the comment" }).click();
  await expect(jonas.getByRole("status").filter({ hasText: "Your comment on “learning regions” in paragraph 2 is added." })).toBeVisible();
  const open = jonas.getByRole("list", { name: "Open comments" });
  const mine = open.getByRole("article").filter({ hasText: mark });
  await expect(mine).toContainText("Paragraph 2");
  await expect(mine).toContainText("learning regions");

  // the committee resolves it: it leaves the open comments for the folded list
  const committee = await loggedIn(browser, "committee@example.org", "demo-committee");
  await committee.goto(`${CONF}/declaration/comments`);
  await hydrated(committee);
  const theirs = committee.getByRole("list", { name: "Open comments" }).getByRole("article").filter({ hasText: mark });
  await theirs.getByRole("button", { name: /Resolve the comment by Jonas Holm/ }).click();
  await expect(committee.getByRole("status").filter({ hasText: "The comment is resolved" })).toBeVisible();
  await jonas.reload();
  await expect(jonas.getByRole("list", { name: "Open comments" }).getByText(mark)).toHaveCount(0);
  await expect(jonas.getByText(/\d+ resolved comments?/)).toBeVisible();
  await expect(jonas.getByRole("list", { name: "Resolved comments" }).getByText(mark)).toBeHidden();
  await jonas.getByText(/\d+ resolved comments?/).click();
  await expect(jonas.getByRole("list", { name: "Resolved comments" }).getByText(mark)).toBeVisible();
});

test("a delegate amends another delegation's amendment; it is voted first and, accepted, becomes part of it", async ({ browser }, info) => {
  const mark = `${info.project.name}-${Date.now()}`;
  const trine = await loggedIn(browser, "trine@example.org", "demo-delegate");
  await trine.goto(`${CONF}/amendments/new`);
  await hydrated(trine);
  const form = trine.getByRole("form", { name: "Propose an amendment" });
  await form.getByLabel("Title").fill(`Civil society ${mark}`);
  const text = form.getByLabel("The text as you propose it (Markdown)");
  await text.fill((await text.inputValue()).replace("government, civil society,", `government, civil society (${mark}),`));
  await form.getByLabel("Submit to the committee now").check();
  await form.getByRole("button", { name: "Save amendment" }).click();
  await expect(trine).toHaveURL(/\/amendments\/\d+$/);
  const parent = Number(new URL(trine.url()).pathname.split("/").pop());
  // her own amendment she edits; she is not offered to amend it
  await expect(trine.getByText(`Propose an amendment to amendment ${parent}`)).toHaveCount(0);

  // Jonas amends it on its page
  const jonas = await loggedIn(browser, "jonas@example.org", "demo-delegate");
  await jonas.goto(`${CONF}/amendments/${parent}`);
  await hydrated(jonas);
  await jonas.getByRole("link", { name: `Propose an amendment to amendment ${parent}` }).click();
  await expect(jonas.getByRole("heading", { level: 1, name: `Propose an amendment to amendment ${parent}` })).toBeVisible();
  await hydrated(jonas);
  const sub = jonas.getByRole("form", { name: "Propose an amendment to this amendment" });
  await sub.getByLabel("Title").fill(`Youth too ${mark}`);
  const subText = sub.getByLabel("The amendment's text as you propose it (Markdown)");
  await subText.fill((await subText.inputValue()).replace(`civil society (${mark}),`, `civil society (${mark}), youth organisations,`));
  await sub.getByLabel("Submit to the committee now").check();
  await sub.getByRole("button", { name: "Save amendment to the amendment" }).click();
  await expect(jonas).toHaveURL(new RegExp(`/amendments/(?!${parent}$)\\d+$`));
  const child = Number(new URL(jonas.url()).pathname.split("/").pop());
  await expect(jonas.getByRole("link", { name: `Amendment ${parent}: Civil society ${mark}` })).toBeVisible();
  await expect(jonas.getByRole("heading", { level: 2, name: `Changes to amendment ${parent}` })).toBeVisible();
  await expect(jonas.locator("ins").filter({ hasText: "youth organisations" }).first()).toBeVisible();

  // the voting order puts it before the amendment it amends
  const committee = await loggedIn(browser, "committee@example.org", "demo-committee");
  await committee.goto(`${CONF}/amendments/voting`);
  const items = committee.getByRole("listitem").filter({ hasText: mark });
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText(`Amendment ${child}`);
  await expect(items.nth(0)).toContainText(`An amendment to amendment ${parent}: voted before it.`);
  await expect(items.nth(1)).toContainText(`Amendment ${parent}`);

  // the committee cannot decide the amendment first; it accepts the amendment to it
  await committee.goto(`${CONF}/amendments/${parent}`);
  await hydrated(committee);
  await committee.getByRole("form", { name: "Accept the amendment" }).getByRole("button", { name: "Accept" }).click();
  await expect(committee.getByRole("alert").filter({ hasText: `Amendment ${child} amends this amendment and is decided first` })).toBeVisible();
  await committee.goto(`${CONF}/amendments/${child}`);
  await hydrated(committee);
  await committee.getByRole("form", { name: "Accept the amendment" }).getByRole("button", { name: "Accept" }).click();
  await expect(committee.getByRole("status").filter({ hasText: `It is now part of amendment ${parent}` })).toBeVisible();

  // Trine's amendment now carries it, still before the committee
  await trine.goto(`${CONF}/amendments/${parent}`);
  await expect(trine.locator("ins").filter({ hasText: "youth organisations" }).first()).toBeVisible();
  const list = trine.getByRole("region", { name: "Amendments to this amendment" });
  await expect(list.getByRole("link", { name: `Amendment ${child}: Youth too ${mark}` })).toBeVisible();
  await expect(list).toContainText("accepted");

  // withdrawn, so the stories after this one find the text as it was
  await hydrated(trine);
  await trine.getByRole("button", { name: "Withdraw" }).click();
  await expect(trine.getByRole("status").filter({ hasText: `Amendment ${parent} is withdrawn.` }).first()).toBeVisible();
});
