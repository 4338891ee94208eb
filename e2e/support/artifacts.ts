import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";

const ARTIFACTS = fileURLToPath(new URL("../artifacts", import.meta.url));
const CLI = fileURLToPath(new URL("../../apps/dashboard/bin/nsatlas", import.meta.url));

/** Keeps a full-page screenshot of a view as a test artefact (e2e/artifacts/NAME.png). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

/** A new token of a server's data dir, made with the `nsatlas` CLI as an admin would. */
export function createToken(dataDir: string, role: string, name: string): string {
  return execFileSync(process.execPath, [CLI, "token", "create", "--role", role, "--name", name], {
    encoding: "utf8",
    env: { ...process.env, NSATLAS_DATA_DIR: dataDir },
  }).trim();
}
