import { World } from "@nsatlas/test-world";
import { expect, test } from "@playwright/test";
import { shot } from "../support/artifacts";
import { localHostId, logIn } from "../support/login";

// A person's first look: who shares which stack, how stacks are wired, where an address
// is. Everything the test makes carries its world's prefix and is removed afterwards.
const world = new World();

test.afterAll(async () => {
  await world.cleanup();
});

test("stacks, wiring, search and removal, live", async ({ page }) => {
  // Two stacks with the same address; the first has two processes and a veth to the initial stack.
  const red = world.netnsAdd("red");
  const blue = world.netnsAdd("blue");
  const ip = `10.${100 + Math.floor(Math.random() * 100)}.7.2`;
  const [va, vb] = [world.name("va"), world.name("vb")];
  world.run(["ip", "link", "add", va, "type", "veth", "peer", "name", vb]);
  world.defer(() => {
    try {
      world.run(["ip", "link", "del", va]);
    } catch {
      // gone with its stack already
    }
  });
  world.run(["ip", "link", "set", vb, "netns", red.name]);
  world.run(["ip", "-n", red.name, "addr", "add", `${ip}/24`, "dev", vb]);
  // (this kernel has no dummy driver: a veth pair with both ends in blue carries the address)
  world.run(["ip", "-n", blue.name, "link", "add", world.name("b0"), "type", "veth", "peer", "name", world.name("b1")]);
  world.run(["ip", "-n", blue.name, "addr", "add", `${ip}/24`, "dev", world.name("b0")]);
  const a = await world.spawn(["nsenter", `--net=${red.path}`, "sleep", "1000"], { comm: "sleep" });
  const b = await world.spawn(["nsenter", `--net=${red.path}`, "sleep", "1001"], { comm: "sleep" });

  await logIn(page);
  const hostBase = `/hosts/${encodeURIComponent(await localHostId(page))}`;
  await page.goto(`${hostBase}/stacks`);

  const redCard = page.locator('[data-testid="stack-card"]', { has: page.getByRole("heading", { name: red.name }) });
  await expect(redCard).toBeVisible();
  await expect(redCard.locator(`[data-pid="${a.pid}"]`)).toBeVisible();
  await expect(redCard.locator(`[data-pid="${b.pid}"]`)).toBeVisible();
  await expect(redCard).toContainText(`${vb}`);
  await expect(redCard).toContainText(ip);
  await shot(page, "stacks");

  await page.getByRole("link", { name: "Topology" }).click();
  await expect(page.locator(`[data-wire="${va} ⇄ ${vb}"], [data-wire="${vb} ⇄ ${va}"]`)).toHaveCount(1);
  await shot(page, "topology");

  await page.getByLabel("Search").fill(ip);
  await page.getByLabel("Search").press("Enter");
  await expect(page).toHaveURL(/\/search\?q=/);
  const results = page.getByTestId("search-result");
  await expect(results.filter({ hasText: red.name })).not.toHaveCount(0);
  await expect(results.filter({ hasText: blue.name })).not.toHaveCount(0);
  await shot(page, "search");

  for (const [tab, name] of [
    ["Overview", "overview"],
    ["Namespaces", "namespaces"],
    ["Processes", "processes"],
  ] as const) {
    await page.goto(hostBase);
    await page.getByRole("link", { name: tab, exact: true }).click();
    await page.waitForLoadState("networkidle");
    await shot(page, name);
  }
  await page.goto(`${hostBase}/processes/${a.pid}`);
  await expect(page.getByTestId("process-namespaces")).toContainText(String(b.pid));
  await shot(page, "process");
  await page.goto(`${hostBase}/processes?select=${a.pid},${b.pid},1`);
  await expect(page.getByTestId("share-matrix")).toBeVisible();
  await shot(page, "share-matrix");

  // A removed stack disappears from an open page without a reload.
  await page.goto(`${hostBase}/stacks`);
  const blueCard = page.locator('[data-testid="stack-card"]', { has: page.getByRole("heading", { name: blue.name }) });
  await expect(blueCard).toBeVisible();
  world.run(["ip", "netns", "del", blue.name]);
  await expect(blueCard).toHaveCount(0);
});
