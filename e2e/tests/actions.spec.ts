import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World } from "@nsatlas/test-world";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { createToken, shot } from "../support/artifacts";
import { type E2eServer, startE2eServer } from "../support/server";

// Guarded actions: an operator creates and deletes a stack through the UI, each
// confirmed by typing its name; an auditor sees no controls, and sees the operator's actions
// in the audit view. Its own server, so that the tokens of both roles can be made for it.
const world = new World();
let server: E2eServer;

const token = (role: string, name: string) => createToken(server.dataDir, role, name);

async function logInAs(browser: Browser, secret: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: server.url })).newPage();
  await page.goto("/login");
  await page.getByLabel("Access token").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/hosts\/[^/]+\/stacks/);
  return page;
}

const card = (page: Page, name: string) =>
  page.locator('[data-testid="stack-card"]', { has: page.getByRole("heading", { name, exact: true }) });

/** Plans in the open dialog, types the confirmation, runs, and expects success. */
async function confirmAndRun(page: Page, name: string): Promise<void> {
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Plan" }).click();
  await expect(dialog.getByTestId("action-plan")).toBeVisible();
  const run = dialog.getByRole("button", { name: "Run" });
  await expect(run).toBeDisabled();
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await run.click();
  await expect(dialog.getByTestId("action-outcome")).toHaveAttribute("data-status", "succeeded");
}

test.beforeAll(async () => {
  server = await startE2eServer();
});
test.afterAll(async () => {
  await world.cleanup();
  await server?.stop();
});

test("an operator creates and deletes a stack with typed confirmations; an auditor sees no controls but sees it all in the audit log", async ({
  browser,
}) => {
  const name = world.name("ui");
  world.defer(() => {
    try {
      world.run(["ip", "netns", "del", name]);
    } catch {
      // deleted by the test itself
    }
  });
  const operator = await logInAs(browser, token("operator", `${world.prefix}-op`));
  const initial = operator.locator('[data-testid="stack-card"]', { has: operator.getByText("initial stack") });
  await initial.getByRole("button", { name: "New stack…" }).click();
  await operator.getByRole("dialog").getByLabel("Stack name").fill(name);
  await confirmAndRun(operator, name);
  await expect(operator.getByRole("dialog")).toContainText(`ip netns add ${name}`);
  await shot(operator, "action-create");
  await operator.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  expect(world.run(["ip", "netns", "list"])).toContain(name);
  await expect(card(operator, name)).toBeVisible();

  await card(operator, name).getByRole("button", { name: "Delete stack…" }).click();
  await confirmAndRun(operator, name);
  await operator.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  await expect(card(operator, name)).toHaveCount(0);
  expect(world.run(["ip", "netns", "list"])).not.toContain(name);

  const auditor = await logInAs(browser, token("auditor", `${world.prefix}-aud`));
  await expect(auditor.getByTestId("actions-unavailable")).toContainText("auditor");
  await expect(auditor.getByTestId("stack-actions")).toHaveCount(0);
  await expect(auditor.getByRole("button", { name: "New stack…" })).toHaveCount(0);
  await expect(auditor.getByTestId("read-only-mark")).toBeVisible();
  await shot(auditor, "stacks-auditor");
  await auditor.getByRole("link", { name: "Audit" }).click();
  await expect(auditor).toHaveURL(/\/audit/);
  await expect(auditor.getByTestId("chain-status")).toContainText("intact");
  const rows = auditor.getByTestId("audit-row").filter({ hasText: `${world.prefix}-op` });
  await expect(rows.filter({ hasText: "netns.create" }).filter({ hasText: "succeeded" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "netns.delete" }).filter({ hasText: "succeeded" })).toHaveCount(1);
  await shot(auditor, "audit");

  const hostBase = new URL(operator.url()).pathname.replace(/\/stacks$/, "");
  await auditor.goto(`${hostBase}/history`);
  await expect(auditor.getByTestId("timeline")).toContainText(name);
  await shot(auditor, "history");
  await auditor.getByRole("button", { name: "As of a time" }).click();
  await expect(auditor.getByTestId("as-of")).toContainText("initial");
  await shot(auditor, "history-as-of");
  await auditor.getByRole("button", { name: "Difference between two times" }).click();
  await expect(auditor.getByTestId("history-diff")).toContainText("Appeared");
  await shot(auditor, "history-diff");
});

/** Presses Tab until `target` has the focus (a bounded walk through the page's tab order). */
async function tabTo(page: Page, target: ReturnType<Page["locator"]>, most = 400): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
  }
  throw new Error(`no tab stop reached ${target} in ${most} presses`);
}

test("keyboard only: an operator frees a leaked stack by removing the pin that holds it", async ({ browser }) => {
  // A stack pinned inside a private mount namespace outlives the process that made it.
  const mnt = await world.spawn(["unshare", "--mount", "--propagation", "private", "sleep", "1000"], { comm: "sleep" });
  const maker = await world.spawn(["unshare", "--net", "sleep", "1000"], { comm: "sleep" });
  const inode = statSync(`/proc/${maker.pid}/ns/net`).ino;
  const pin = join(world.tmpDir(), "pin");
  writeFileSync(pin, "");
  world.run(["nsenter", `--mount=/proc/${mnt.pid}/ns/mnt`, "mount", "--bind", `/proc/${maker.pid}/ns/net`, pin]);
  maker.child.kill("SIGKILL");
  const id = `net:${inode}`;

  const page = await logInAs(browser, token("operator", `${world.prefix}-kb`));
  const leaked = page.locator(`[data-stack="${id}"]`);
  await expect(leaked.getByTestId("how-to-free")).toContainText(pin);
  await expect(leaked.getByTestId("free-pin")).toContainText(`pid ${mnt.pid} (sleep)`);
  await shot(page, "how-to-free");
  await tabTo(page, leaked.getByRole("button", { name: "Remove pin…" }));
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(pin);
  await tabTo(page, dialog.getByRole("button", { name: "Plan" }));
  await page.keyboard.press("Enter");
  await expect(dialog.getByTestId("action-plan")).toContainText(
    `nsenter --mount=/proc/${mnt.pid}/ns/mnt umount -- ${pin}`,
  );
  await expect(dialog.getByLabel(`Type ${id} to confirm`)).toBeFocused();
  await page.keyboard.type(id);
  await page.keyboard.press("Enter");
  await expect(dialog.getByTestId("action-outcome")).toHaveAttribute("data-status", "succeeded");
  await shot(page, "pin-removed");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(leaked).toHaveCount(0);
  expect(readFileSync(`/proc/${mnt.pid}/mountinfo`, "utf8")).not.toContain(pin);
});

test("a plan that fails validation keeps the form, with the problem next to its field", async ({ browser }) => {
  const page = await logInAs(browser, token("operator", `${world.prefix}-val`));
  const initial = page.locator('[data-testid="stack-card"]', { has: page.getByText("initial stack") });
  await initial.getByRole("button", { name: "New stack…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Stack name").fill("123");
  await dialog.getByRole("button", { name: "Plan" }).click();
  await expect(dialog.getByTestId("field-error")).toContainText("not all digits");
  await expect(dialog.getByLabel("Stack name")).toHaveValue("123");
  await expect(dialog.getByLabel("Stack name")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByTestId("field-error")).not.toContainText("params.");
  await shot(page, "action-validation");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
});
