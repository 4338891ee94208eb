import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "./server";

/** Logs in through /login by typing the token, as a person would. */
export async function logIn(page: Page, token = E2E_ADMIN_TOKEN): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
