// What a browser downloads on a first and a second visit of each page (issue 16): every byte on
// the wire (Chromium's encodedDataLength: headers and bodies as sent, compressed) until the
// network has been quiet for 1.5 s, with brotli and gzip accepted, a phone's screen and user
// agent. A visitor's pages are measured without cookies; the editor and an amendment's page
// as the demo's committee member (the script proposes that amendment first). Usage (a release server with the demo data):
//   node bench/first-load.mjs http://127.0.0.1:3300
import { chromium, devices } from "../end2end/node_modules/@playwright/test/index.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3300";
const slug = process.env.SLUG ?? "mexico-city-2015";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});

/** Bytes on the wire for one load of `path` in `page` (same context: a second visit reuses its cache). */
async function load(page, path) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const bytes = new Map();
  const kinds = new Map();
  let last = Date.now();
  cdp.on("Network.responseReceived", (e) => { kinds.set(e.requestId, e.type); last = Date.now(); });
  cdp.on("Network.dataReceived", (e) => {
    // an open event stream never finishes: count what it brought as it comes
    bytes.set(e.requestId, (bytes.get(e.requestId) ?? 0) + e.encodedDataLength);
    last = Date.now();
  });
  cdp.on("Network.loadingFinished", (e) => { bytes.set(e.requestId, e.encodedDataLength); last = Date.now(); });
  await page.goto(base + path, { waitUntil: "load" });
  while (Date.now() - last < 1500) await page.waitForTimeout(250);
  await cdp.detach();
  const by = {};
  for (const [id, n] of bytes) {
    const k = kinds.get(id) ?? "Other";
    by[k] = (by[k] ?? 0) + n;
  }
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  return { total, by, requests: bytes.size };
}

const kb = (n) => (n / 1000).toFixed(1);
const rows = [];
async function measure(label, path, login, budget) {
  const context = await browser.newContext({ ...devices["Pixel 7"] });
  const page = await context.newPage();
  if (login) {
    await page.goto(base + "/login");
    await page.waitForSelector("body[data-hydrated]");
    await page.getByLabel("E-mail address").fill(login[0]);
    await page.getByLabel("Password").fill(login[1]);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    // a fresh cache for the measured page: as a first visit, logged in
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.clearBrowserCache");
    await cdp.detach();
  }
  const first = await load(page, path);
  const second = await load(page, path);
  rows.push({ label, path, first, second, budget });
  await context.close();
}

const committee = ["committee@example.org", "demo-committee"];
await measure("Conference page, visitor", `/conferences/${slug}`, null, 300);
await measure("Programme, visitor", `/conferences/${slug}/programme`, null, 300);
if (process.env.SCALE_SLUG) await measure("400-session programme, visitor", `/conferences/${process.env.SCALE_SLUG}/programme`, null, 300);
await measure("Declaration, visitor", `/conferences/${slug}/declaration`, null, 300);
await measure("Editor, committee", `/conferences/${slug}/declaration/edit`, committee, 700);
await measure("Amendments, committee", `/conferences/${slug}/amendments`, committee, 700);
await measure("Proposing an amendment, committee", `/conferences/${slug}/amendments/new`, committee, 700);
// one amendment's page: the committee proposes one through the form (a text change to the
// declaration's last paragraph), then opens it on a fresh cache
{
  const context = await browser.newContext({ ...devices["Pixel 7"] });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.waitForSelector("body[data-hydrated]");
  await page.getByLabel("E-mail address").fill(committee[0]);
  await page.getByLabel("Password").fill(committee[1]);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${base}/conferences/${slug}/amendments/new`);
  await page.waitForSelector("body[data-hydrated]");
  const form = page.getByRole("form", { name: "Propose an amendment" });
  await form.getByLabel("Title").fill(`First-load bench ${Date.now()}`);
  const text = form.getByLabel("The text as you propose it (Markdown)");
  await text.fill(`${(await text.inputValue()).trimEnd()} (as measured)\n`);
  await form.getByRole("button", { name: "Save amendment" }).click();
  await page.waitForURL(/\/amendments\/\d+$/);
  const amendment = new URL(page.url()).pathname;
  await context.close();
  await measure("One amendment's page, committee", amendment, committee, 700);
}
await browser.close();

console.log("| page | first visit (KB on the wire) | of which | requests | second visit (KB) | aim |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  const parts = Object.entries(r.first.by).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${kb(n)}`).join(", ");
  const ok = r.first.total <= r.budget * 1000 ? "within" : "**over**";
  console.log(`| ${r.label} (\`${r.path}\`) | ${kb(r.first.total)} | ${parts} | ${r.first.requests} | ${kb(r.second.total)} | ${r.budget} KB: ${ok} |`);
}
