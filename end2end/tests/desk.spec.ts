import { test, expect } from "@playwright/test";
import { hydrated, logIn } from "./helpers";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The secretariat's desk (issue 19): the organiser prints the Danish delegation's badges, checks
// a Dane in by the code printed on the badge (typed), is told "already checked in" the second
// time, and the dashboard counts the arrival. Both projects run against one database, so each
// checks in a different Dane (desktop Trine, phone Niels) and counts from what it found.

const SLUG = "mexico-city-2015";

/** The text of a PDF, by pdftotext (Debian's poppler-utils). */
function pdfText(bytes: Buffer): string {
  const file = path.join(os.tmpdir(), `badges-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync("pdftotext", [file, "-"]).toString("utf8");
  } finally {
    fs.unlinkSync(file);
  }
}

test("the organiser prints the Danish badges and checks a delegate in by the code on the badge", async ({ page }, info) => {
  test.setTimeout(120_000);
  const who = info.project.name === "desktop" ? "Trine Bendix Knudsen" : "Niels Johan Juhl-Nielsen";
  const first = who.split(" ")[0];
  await logIn(page, "organiser@example.org", "demo-organiser");
  await expect(page.getByRole("link", { name: "Sofía Ramírez" })).toBeVisible();

  // how many had arrived before
  await page.goto(`/conferences/${SLUG}/dashboard`);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Registrations by UNESCO region" })).toBeVisible();
  const arrivedFigure = page.locator(".figures div", { hasText: "Checked in" }).locator("dd");
  const before = Number(await arrivedFigure.textContent());

  // the Danish delegation's badges, one A6 badge per page
  await page.goto(`/conferences/${SLUG}/registrations`);
  await hydrated(page);
  await page.getByRole("link", { name: "Check-in and badges" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Check-in" })).toBeVisible();
  await hydrated(page);
  const print = page.getByRole("form", { name: "Print badges" });
  await print.getByLabel("Whose").selectOption({ label: "Delegation: Denmark" });
  await print.getByLabel("Paper").selectOption({ label: "A6, one badge per page" });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    print.getByRole("button", { name: "Print badges (PDF)" }).click(),
  ]);
  const pdf = fs.readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const text = pdfText(pdf);
  expect(text).toContain("Denmark");
  // the code printed under the QR code of this person's badge (a page each)
  const badge = text.split("\f").find((p) => p.includes(first)) ?? "";
  expect(badge, text).toContain("MEMBER-STATE DELEGATE");
  const code = badge.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)?.[0];
  expect(code, text).toBeTruthy();

  // typed at the desk
  const desk = page.getByRole("form", { name: "Check in by badge code" });
  await desk.getByLabel("Badge code").fill(code!.toLowerCase());
  await desk.getByRole("button", { name: "Check in" }).click();
  const result = page.getByRole("status").filter({ hasText: who });
  await expect(result).toContainText(new RegExp(`${who} checked in at \\d\\d:\\d\\d\\.`));
  const time = (await result.textContent())!.match(/at (\d\d:\d\d)/)![1];

  // scanned again
  await desk.getByLabel("Badge code").fill(code!);
  await desk.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("status").filter({ hasText: "already" })).toContainText(`${who} was already checked in at ${time}.`);

  // a code that is no badge's
  await desk.getByLabel("Badge code").fill("0000-0000-0000-0000");
  await desk.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("alert")).toContainText("No current badge carries this code");

  // the dashboard counts the arrival
  await page.goto(`/conferences/${SLUG}/dashboard`);
  await hydrated(page);
  await expect(arrivedFigure).toHaveText(String(before + 1));
  await expect(page.getByRole("table").filter({ hasText: "Member-state delegate" })).toBeVisible();
});

test("where the browser reads QR codes, the camera checks a delegate in", async ({ page }, info) => {
  test.setTimeout(120_000);
  const who = info.project.name === "desktop" ? "Mette Lund" : "Jonas";
  const first = who.split(" ")[0];
  await logIn(page, "organiser@example.org", "demo-organiser");
  await expect(page.getByRole("link", { name: "Sofía Ramírez" })).toBeVisible();
  // the badge's code, from the printed badge
  const response = await page.request.get(`/conferences/${SLUG}/badges.pdf?layout=a6`);
  expect(response.status()).toBe(200);
  const badge = pdfText(await response.body()).split("\f").find((p) => p.includes(first)) ?? "";
  const code = badge.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)?.[0];
  expect(code, badge).toBeTruthy();
  // a camera that shows the badge: the browser's BarcodeDetector and getUserMedia, stood in for
  // (headless Chromium on Linux has neither a camera nor a QR reader)
  await page.addInitScript((raw) => {
    (window as any).BarcodeDetector = class {
      async detect() { return [{ rawValue: raw, format: "qr_code" }]; }
    };
    const fake = async () => {
      const c = document.createElement("canvas");
      c.width = 64; c.height = 48;
      c.getContext("2d")!.fillRect(0, 0, 64, 48);
      return (c as any).captureStream(5);
    };
    if (navigator.mediaDevices) {
      navigator.mediaDevices.getUserMedia = fake as any;
    } else {
      Object.defineProperty(navigator, "mediaDevices", { value: { getUserMedia: fake } });
    }
  }, code!.replace(/-/g, ""));
  await page.goto(`/conferences/${SLUG}/check-in`);
  await hydrated(page);
  await page.getByRole("button", { name: "Scan with the camera" }).click();
  await expect(page.getByRole("status").filter({ hasText: first })).toContainText(/checked in at \d\d:\d\d\./);
  await expect(page.getByRole("button", { name: "Scan with the camera" })).toBeVisible();
});

test("a person found by name is checked in where the name search says: the door or a forum", async ({ page }) => {
  await logIn(page, "organiser@example.org", "demo-organiser");
  await expect(page.getByRole("link", { name: "Sofía Ramírez" })).toBeVisible();
  await page.goto(`/conferences/${SLUG}/check-in`);
  await hydrated(page);
  const find = page.getByRole("form", { name: "Find a participant by name" });
  const where = find.getByLabel("Where");
  // the first capacity-limited forum
  const forum = (await where.locator("option").nth(1).textContent())?.trim() ?? "";
  expect(forum).not.toBe("");
  await where.selectOption({ label: forum });
  await find.getByLabel("Name").fill("Jonas");
  await find.getByRole("button", { name: "Find" }).click();
  await expect(page.getByText(`Checking in at: ${forum}`)).toBeVisible();
  await expect(page.getByRole("button", { name: `Check in Jonas Holm at ${forum}` })).toBeVisible();

  // at the door again: the button says so
  await where.selectOption({ label: "Arrival at the conference" });
  await find.getByRole("button", { name: "Find" }).click();
  await expect(page.getByText(`Checking in at: ${forum}`)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Badge of Jonas Holm (PDF)" })).toBeVisible();
  await expect(page.getByRole("button", { name: `Check in Jonas Holm at ${forum}` })).toHaveCount(0);
});
