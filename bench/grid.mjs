// How the programme grid of the generated conference (400 sessions) behaves in Chromium:
// time to first paint and to hydration, long tasks (> 50 ms) on the main thread, and frames
// while the grid scrolls sideways. Usage (a release server with `server seed-scale` loaded):
//   node bench/grid.mjs http://127.0.0.1:3300
import { chromium } from "../end2end/node_modules/@playwright/test/index.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3300";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration)))
    .observe({ type: "longtask", buffered: true });
});
const rows = [];
for (let run = 0; run < 3; run++) {
  const t0 = Date.now();
  await page.goto(`${base}/conferences/scale-2030/programme?view=grid`);
  const loaded = Date.now() - t0;
  await page.waitForSelector("body[data-hydrated]", { timeout: 60000 });
  const hydrated = Date.now() - t0;
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0);
  const long = await page.evaluate(() => window.__long.slice());
  // scroll the first day's grid sideways for a second, counting frames
  const frames = await page.evaluate(async () => {
    const el = document.querySelector(".grid-scroll");
    const times = [];
    const start = performance.now();
    return await new Promise((done) => {
      const step = (t) => {
        times.push(t);
        el.scrollLeft = ((t - start) / 1000) * (el.scrollWidth - el.clientWidth);
        if (t - start < 1000) requestAnimationFrame(step); else done(times);
      };
      requestAnimationFrame(step);
    });
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const cards = await page.locator("article").count();
  rows.push({ run, loaded, fcp: Math.round(fcp), hydrated, longTasks: long.length, longest: Math.round(Math.max(0, ...long)),
    frames: frames.length, worstFrame: Math.round(gaps[gaps.length - 1] ?? 0), cards });
}
console.table(rows);
await browser.close();
