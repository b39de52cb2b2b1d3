import { defineConfig, devices } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";

// The release server, started by Playwright on its own port and a fresh SQLite file
// (the demo conference is loaded into it on first start).
const port = Number(process.env.E2E_PORT ?? 3199);
const dbFile = path.join(os.tmpdir(), `conference-e2e-${process.pid}-${Date.now()}.db`);
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Where the server writes each message it sends (the outbox page masks live links); set once in
// the main process, so that the workers, which load this file again, read the same folder.
process.env.E2E_MAIL_DIR ??= path.join(os.tmpdir(), `conference-e2e-mail-${process.pid}-${Date.now()}`);

// Two more release servers on one fresh PostgreSQL database, as a deployment past one machine
// runs: the co-editing story types through both (see tests/coedit.spec.ts). The database is
// made once, in the main process (the workers load this file again and find it named).
const pgAdmin = process.env.E2E_PG_ADMIN ?? "postgres://postgres@127.0.0.1:5432/postgres";
const pgPorts = [port + 11, port + 12];
if (!process.env.E2E_PG_DB) {
  process.env.E2E_PG_DB = `plenary_e2e_${process.pid}_${Date.now()}`;
  execFileSync("psql", [pgAdmin, "-q", "-c", `CREATE DATABASE "${process.env.E2E_PG_DB}"`]);
}
process.env.E2E_PG_A ??= `http://127.0.0.1:${pgPorts[0]}`;
process.env.E2E_PG_B ??= `http://127.0.0.1:${pgPorts[1]}`;
const pgUrl = pgAdmin.replace(/\/[^/?]*(\?.*)?$/, `/${process.env.E2E_PG_DB}`);

/** One of the release servers on the PostgreSQL database, on `port`. */
function pgServer(port: number) {
  return {
    command: "./target/release/server",
    cwd: "..",
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 90_000,
    env: {
      DATABASE_URL: pgUrl,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      RUST_LOG: "warn",
      DEMO_DATA: "auto",
      MAIL_DIR: process.env.E2E_MAIL_DIR!,
      LOGIN_LIMIT_PER_MINUTE: "6000",
      SIGNUP_LIMIT_PER_CLIENT: "1000",
      // the instances hear each other by NOTIFY alone (no re-read to cover a gap)
      LIVE_REREAD_SECONDS: "3600",
    },
  };
}

export default defineConfig({
  globalTeardown: "./teardown.ts",
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // Adoption freezes the declaration for good, so its story runs last, once the drafting
  // stories of both projects are done.
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: /adoption\.spec\.ts/ },
    { name: "phone", use: { ...devices["Pixel 7"], channel: undefined }, testIgnore: /adoption\.spec\.ts/ },
    {
      name: "adoption",
      use: { ...devices["Desktop Chrome"], channel: undefined },
      testMatch: /adoption\.spec\.ts/,
      dependencies: ["desktop", "phone"],
    },
  ],
  webServer: [
    {
      command: "./target/release/server",
      cwd: "..",
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        DATABASE_URL: `sqlite://${dbFile}?mode=rwc`,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: "target/site",
        RUST_LOG: "warn",
        DEMO_DATA: "auto",
        MAIL_DIR: process.env.E2E_MAIL_DIR,
        // one browser logs in and signs up many times in a run: the per-client limits are
        // tested in server/tests, not here
        LOGIN_LIMIT_PER_MINUTE: "6000",
        SIGNUP_LIMIT_PER_CLIENT: "1000",
      },
    },
    // both start at once: one migrates and loads the demo under an advisory lock
    ...pgPorts.map(pgServer),
  ],
});
