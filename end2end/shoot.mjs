// Screenshots of the pages at phone and desktop widths, for looking at them as users will.
// Usage: node shoot.mjs http://127.0.0.1:3000 [out-dir]
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const out = process.argv[3] ?? "screenshots";
const pages = {
  home: "/",
  overview: "/conferences/mexico-city-2015",
  programme: "/conferences/mexico-city-2015/programme",
  "programme-list": "/conferences/mexico-city-2015/programme?view=list&day=2015-09-28",
  "programme-fora": "/conferences/mexico-city-2015/programme?kind=thematic_forum&tz=Europe/Copenhagen&view=grid",
  "programme-scale": "/conferences/scale-2030/programme?day=2030-06-03&view=grid",
  changes: "/conferences/mexico-city-2015/programme/changes",
  session: "/conferences/mexico-city-2015/sessions/6",
  declaration: "/conferences/mexico-city-2015/declaration",
  // 404 until the declaration is published
  final: "/conferences/mexico-city-2015/declaration/final",
  framework: "/conferences/mexico-city-2015/key-features",
  notfound: "/conferences/atlantis-2099",
  login: "/login",
  signup: "/signup",
};
// pages seen logged in: [name, path, e-mail, password]
const loggedIn = [
  ["people", "/conferences/mexico-city-2015/people", "organiser@example.org", "demo-organiser"],
  ["registrations", "/conferences/mexico-city-2015/registrations", "organiser@example.org", "demo-organiser"],
  ["outbox", "/outbox", "organiser@example.org", "demo-organiser"],
  ["session-seats", "/conferences/mexico-city-2015/sessions/6", "jonas@example.org", "demo-delegate"],
  ["session-organiser", "/conferences/mexico-city-2015/sessions/6", "organiser@example.org", "demo-organiser"],
  ["agenda", "/conferences/mexico-city-2015/agenda", "jonas@example.org", "demo-delegate"],
  ["register", "/conferences/mexico-city-2015/register", "jonas@example.org", "demo-delegate"],
  ["account", "/account", "jonas@example.org", "demo-delegate"],
  ["delegation", "/conferences/mexico-city-2015/delegation", "trine@example.org", "demo-delegate"],
  ["versions", "/conferences/mexico-city-2015/declaration/versions", "committee@example.org", "demo-committee"],
  ["editor", "/conferences/mexico-city-2015/declaration/edit", "committee@example.org", "demo-committee"],
  ["amendments", "/conferences/mexico-city-2015/amendments", "committee@example.org", "demo-committee"],
  ["propose", "/conferences/mexico-city-2015/amendments/new", "trine@example.org", "demo-delegate"],
  ["amendment", "/conferences/mexico-city-2015/amendments/1", "committee@example.org", "demo-committee"],
  ["compare", "/conferences/mexico-city-2015/declaration/compare", "committee@example.org", "demo-committee"],
  ["provenance", "/conferences/mexico-city-2015/declaration/provenance", "committee@example.org", "demo-committee"],
  ["adopt", "/conferences/mexico-city-2015/declaration/adopt", "organiser@example.org", "demo-organiser"],
  ["manage-programme", "/conferences/mexico-city-2015/programme/manage", "organiser@example.org", "demo-organiser"],
  ["session-form", "/conferences/mexico-city-2015/programme/sessions/6/edit", "organiser@example.org", "demo-organiser"],
  ["session-new", "/conferences/mexico-city-2015/programme/sessions/new", "organiser@example.org", "demo-organiser"],
  ["clashes", "/conferences/mexico-city-2015/programme/clashes", "organiser@example.org", "demo-organiser"],
];
const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
for (const [size, viewport] of Object.entries(sizes)) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: size === "phone" ? 2 : 1 });
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(base + path);
    await page.waitForSelector("body[data-hydrated]", { timeout: 10000 }).catch(() => {});
    await page.screenshot({ path: `${out}/${name}-${size}.png`, fullPage: name !== "programme" || size === "desktop" });
  }
  await page.close();
  for (const [name, path, email, password] of loggedIn) {
    const ctx = await browser.newContext({ viewport, deviceScaleFactor: size === "phone" ? 2 : 1 });
    const p = await ctx.newPage();
    await p.goto(base + "/login");
    await p.waitForSelector("body[data-hydrated]", { timeout: 10000 }).catch(() => {});
    await p.getByLabel("E-mail address").fill(email);
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Log in" }).click();
    await p.waitForURL(base + "/");
    await p.goto(base + path);
    await p.waitForSelector("body[data-hydrated]", { timeout: 10000 }).catch(() => {});
    await p.screenshot({ path: `${out}/${name}-${size}.png`, fullPage: true });
    await ctx.close();
  }
}
await browser.close();
