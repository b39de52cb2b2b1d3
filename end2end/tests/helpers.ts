import { expect, Page } from "@playwright/test";

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
