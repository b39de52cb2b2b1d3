import { expect, Browser, Page } from "@playwright/test";

/** The page has hydrated: its buttons run in the browser from now on. */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Fill in and send the log-in form (the caller checks the outcome). */
export async function logIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  const form = page.getByRole("form", { name: "Log in" });
  await form.getByLabel("E-mail address").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Log in" }).click();
}

/** A new browser context, logged in (dialogs dismissed); on the server at `baseURL` if given. */
export async function loggedIn(browser: Browser, email: string, password: string, baseURL?: string): Promise<Page> {
  const ctx = await browser.newContext(baseURL ? { baseURL } : {});
  const page = await ctx.newPage();
  page.on("dialog", (d) => d.dismiss());
  await logIn(page, email, password);
  await expect(page.getByRole("link", { name: "Log out" }).or(page.getByRole("button", { name: "Log out" }))).toBeVisible();
  return page;
}

/**
 * The first link matching `pattern` in the newest message to `email`, as its owner receives it:
 * from the folder the server writes each message into (MAIL_DIR; see playwright.config.ts). The
 * organisers' outbox page masks live links, so they cannot be taken from there.
 */
export async function linkFromMail(email: string, pattern: RegExp): Promise<string> {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const dir = process.env.E2E_MAIL_DIR!;
  let link: string | undefined;
  await expect
    .poll(
      () => {
        const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f: string) => f.endsWith(".json")).sort().reverse() : [];
        for (const f of files) {
          const m = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
          if (m.to === email.toLowerCase()) {
            link = String(m.body).match(pattern)?.[0];
            if (link) return true;
          }
        }
        return false;
      },
      { message: `a link for ${email} in its mail`, timeout: 10_000 },
    )
    .toBe(true);
  const url = new URL(link!);
  return url.pathname + url.search;
}

/** A new person: signs up, confirms through the link in the outbox, and is logged in. */
export async function newcomer(browser: Browser, name: string, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signup");
  await hydrated(page);
  const form = page.getByRole("form", { name: "Create an account" });
  await form.getByLabel("Full name").fill(name);
  await form.getByLabel("E-mail address").fill(email);
  await form.getByLabel("Password").fill("a-long-enough-password");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText("We have sent a message");
  const confirm = await linkFromMail(email, /https?:\/\/\S+\/account\/confirm\?token=[0-9a-f]+/);
  await page.goto(confirm);
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("link", { name })).toBeVisible();
  return page;
}
