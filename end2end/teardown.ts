import { execFileSync } from "node:child_process";

// The PostgreSQL database the two extra servers used (playwright.config.ts) is dropped once the
// run is over; WITH (FORCE) closes what connections the servers still hold.
export default async function teardown() {
  const name = process.env.E2E_PG_DB;
  if (!name) return;
  const admin = process.env.E2E_PG_ADMIN ?? "postgres://postgres@127.0.0.1:5432/postgres";
  try {
    execFileSync("psql", [admin, "-q", "-c", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
  } catch (e) {
    console.warn(`could not drop ${name}: ${e}`);
  }
}
