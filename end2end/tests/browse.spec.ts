import { test, expect, Page } from "@playwright/test";
import { hydrated } from "./helpers";

test("a visitor goes from the home page to the programme and the declaration", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await page.goto("/");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Conferences" })).toBeVisible();
  // installable on a phone's home screen: a web app manifest, its theme colour and icon
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await page.request.get(manifestHref!)).json();
  expect(manifest.short_name).toBe("Plenary");
  expect(manifest.icons.length).toBeGreaterThan(0);
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute("content", manifest.theme_color);

  await page.getByRole("link", { name: "Second International Conference on Learning Cities" }).click();
  await expect(page).toHaveURL(/\/conferences\/mexico-city-2015$/);
  await expect(page.getByRole("heading", { level: 1, name: "Second International Conference on Learning Cities" })).toBeVisible();
  await expect(page.getByText("America/Mexico_City")).toBeVisible();

  await page.getByRole("navigation", { name: "Conference" }).getByRole("link", { name: "Programme" }).click();
  await expect(page).toHaveURL(/\/programme$/);
  await expect(page.getByRole("heading", { level: 2, name: "Monday 28 September 2015" })).toBeVisible();
  const forum = page.getByRole("article", { name: "Thematic forum 2: How can learning cities contribute to health and well-being?" });
  await expect(forum).toBeVisible();
  await expect(forum.getByText("16:00")).toBeVisible();
  // the grid: a column per room, the plenaries across
  await page.getByRole("navigation", { name: "View" }).getByRole("link", { name: "Grid" }).click();
  await expect(page).toHaveURL(/view=grid/);
  const monday = page.getByRole("region", { name: "Monday 28 September 2015, by room" });
  await expect(monday.getByRole("heading", { level: 3, name: "Sala Xochimilco" })).toBeVisible();
  await expect(monday.getByRole("article", { name: /Plenary 1/ })).toBeVisible();
  // the list: sessions that start together side by side
  await page.getByRole("navigation", { name: "View" }).getByRole("link", { name: "List" }).click();
  await expect(page).toHaveURL(/view=list/);
  await expect(page.getByText("4 in parallel").first()).toBeVisible();

  await forum.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 2, name: /Thematic forum 2/ })).toBeVisible();
  await expect(page.getByText("Sala Xochimilco").first()).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Add this session to a calendar (.ics)" }).click(),
  ]);
  const ics = require("node:fs").readFileSync((await download.path())!, "utf8");
  expect(ics).toContain("BEGIN:VEVENT");
  expect(ics).toContain("SUMMARY:Thematic forum 2");
  // 16:00 in Mexico City in September 2015 is 21:00 UTC
  expect(ics).toContain("DTSTART:20150928T210000Z");

  await page.getByRole("navigation", { name: "Conference" }).getByRole("link", { name: "Declaration" }).click();
  await expect(page).toHaveURL(/\/declaration$/);
  await expect(page.getByText("Drafting", { exact: true })).toBeVisible();
  // visitors see the text once it is published; the working draft is for participants
  await expect(page.getByRole("status")).toContainText("The declaration is being drafted");
  await expect(page.getByRole("heading", { level: 1, name: "Mexico City Declaration on Sustainable Learning Cities" })).toHaveCount(0);

  expect(errors).toEqual([]);
});

test("the application's files are named by their content, sent compressed and kept a year", async ({ page }) => {
  // a page that hydrates (the log-in form) names the script and the WASM it loads; the page's
  // own code comes in a file of its own (code splitting), also named by its content
  const loaded: string[] = [];
  page.on("response", (r) => loaded.push(new URL(r.url()).pathname));
  await page.goto("/login");
  await hydrated(page);
  const preloads = await page.locator('link[rel="modulepreload"]').evaluateAll((links) => links.map((l) => l.getAttribute("href") ?? ""));
  const script = preloads.find((h) => h.startsWith("/pkg/conference."));
  // the main WASM, and the page's own code and what it shares with others, preloaded
  const fetched = await page.locator('link[rel="preload"][as="fetch"]').evaluateAll((links) => links.map((l) => l.getAttribute("href") ?? ""));
  const wasm = fetched.find((h) => h.startsWith("/pkg/conference."));
  const style = await page.locator('link[rel="stylesheet"]').first().getAttribute("href");
  const own = loaded.find((p) => p.startsWith("/pkg/split_account_pages"));
  expect(own, "the log-in page's own code was loaded").toBeTruthy();
  for (const href of [script!, wasm!, style!]) {
    expect(href).toMatch(/^\/pkg\/conference[^/]*\.[A-Za-z0-9_-]{16,}\.(js|wasm|css)$/);
  }
  for (const href of [script!, wasm!, style!, own!, ...preloads, ...fetched]) {
    expect(href).toMatch(/^\/pkg\/[^/]+\.[A-Za-z0-9_-]{16,}\.(js|wasm|css)$/);
    const res = await page.request.get(href, { headers: { "Accept-Encoding": "br, gzip" } });
    expect(res.status(), href).toBe(200);
    expect(res.headers()["cache-control"], href).toBe("public, max-age=31536000, immutable");
    expect(res.headers()["content-encoding"], href).toMatch(/^(br|gzip)$/);
    // a file, not a page: no page's policy on it (hundreds of parts would each carry it)
    expect(res.headers()["x-content-type-options"], href).toBe("nosniff");
    expect(res.headers()["content-security-policy"], href).toBeUndefined();
  }
});

test("an unknown address shows a 404 page", async ({ page }) => {
  const response = await page.goto("/conferences/atlantis-2099");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("atlantis-2099");
  await page.getByRole("link", { name: "Back to the list of conferences" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Conferences" })).toBeVisible();

  const other = await page.goto("/no/such/page");
  expect(other?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("the programme reads without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/conferences/mexico-city-2015/programme");
  await expect(page.getByRole("heading", { level: 2, name: "Wednesday 30 September 2015" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Closing ceremony and adoption of the declaration" })).toBeVisible();
  await context.close();
});
