import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SimulatedHost, World } from "@nsatlas/test-world";
import { expect, test } from "@playwright/test";
import { createToken, shot } from "../support/artifacts";
import { E2E_ADMIN_TOKEN, type E2eServer, startE2eServer } from "../support/server";

// A fleet on one dashboard: three simulated hosts — each an agent as pid 1 of its
// own pid, mount and UTS namespaces with its own /proc and netns dir — plus the local agent.
const world = new World();
let server: E2eServer;
const hosts: SimulatedHost[] = [];

test.beforeAll(async () => {
  server = await startE2eServer();
  for (let i = 1; i <= 3; i++) {
    const agentId = `${world.prefix}-sim${i}`;
    const tokenFile = join(world.tmpDir(), `${agentId}.token`);
    writeFileSync(tokenFile, createToken(server.dataDir, "agent", agentId), { mode: 0o600 });
    const host = await SimulatedHost.start({
      hubUrl: `${server.url.replace("http", "ws")}/agent`,
      tokenFile,
      agentId,
      hostname: `${world.prefix}-host${i}`,
      labels: { role: i === 3 ? "db" : "web" },
      agentArgs: ["--interval", "250ms", "--backoff-base", "100ms"],
      baseDir: world.tmpDir(),
      env: { NSATLAS_TEST_RUN: world.prefix },
    });
    world.defer(() => host.kill());
    hosts.push(host);
  }
});

test.afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await world.cleanup();
  await server?.stop();
});

test("three simulated hosts with their own names and stacks; stale when frozen; search across hosts", async ({
  browser,
}) => {
  const page = await (await browser.newContext({ baseURL: server.url })).newPage();
  await page.goto("/login");
  await page.getByLabel("Access token").fill(E2E_ADMIN_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/");
  const rows = page.locator("tbody tr");
  for (const h of hosts) await expect(rows.filter({ hasText: h.hostname })).toHaveCount(1);
  await expect(rows).toHaveCount(4); // and the local host
  await shot(page, "fleet-hosts");

  // A stack made in one simulated host's netns dir shows under that host, with its name.
  const [h1, h2, h3] = hosts as [SimulatedHost, SimulatedHost, SimulatedHost];
  const stack = world.name("fs");
  const address = `10.${150 + Math.floor(Math.random() * 50)}.3.9`;
  h1.addStack(stack, { address });
  h2.addStack(world.name("ft"), { address });
  await rows.filter({ hasText: h1.hostname }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: stack, exact: true })).toBeVisible();
  await shot(page, "fleet-host-stacks");

  // The same address on two hosts: search finds both.
  await page.getByLabel("Search").fill(address);
  await page.getByLabel("Search").press("Enter");
  const results = page.getByTestId("search-result");
  await expect(results.filter({ hasText: h1.hostname })).not.toHaveCount(0);
  await expect(results.filter({ hasText: h2.hostname })).not.toHaveCount(0);
  await shot(page, "fleet-search");

  // A frozen agent turns stale 15 s after its last frame, and connected again when thawed.
  h3.freeze();
  await page.goto("/");
  const h3row = rows.filter({ hasText: h3.hostname });
  await expect(h3row).toContainText("stale", { timeout: 30_000 });
  await shot(page, "fleet-stale");
  h3.thaw();
  await expect(h3row).toContainText("connected", { timeout: 20_000 });
});
