import { World } from "@nsatlas/test-world";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { createToken, shot } from "../support/artifacts";
import { type E2eServer, startE2eServer } from "../support/server";

// Guarded actions (issue 6): an operator creates and deletes a stack through the UI, each
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
