import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "./server";

/** Logs in through /login by typing the token, as a person would. */
export async function logIn(page: Page, token = E2E_ADMIN_TOKEN): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The id of the dashboard's own local agent (the host `npm start` shows). */
export async function localHostId(page: Page): Promise<string> {
  const r = await page.request.get("/api/v1/hosts", { headers: { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
  const body = (await r.json()) as { hosts: Array<{ id: string; credential: string }> };
  const local = body.hosts.find((h) => h.credential === "local");
  if (!local) throw new Error("the local agent has not connected");
  return local.id;
}
