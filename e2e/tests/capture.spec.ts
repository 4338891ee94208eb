import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { World } from "@nsatlas/test-world";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { createToken, shot } from "../support/artifacts";
import { type E2eServer, startE2eServer } from "../support/server";

// Capture (no plugin): an operator starts a capture from a stack card, sees the ping packets
// arrive live in the list, opens one (its layers and bytes), stops it and downloads the file,
// which tshark's capinfos reads.
const world = new World();
let server: E2eServer;
const ADDR_A = "10.233.5.1";
const ADDR_B = "10.233.5.2";

/** A page of this spec's own server (its tokens live in that server's data dir). */
async function logIn(browser: Browser, secret: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: server.url, acceptDownloads: true })).newPage();
  await page.goto("/login");
  await page.getByLabel("Access token").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/hosts\/[^/]+\/stacks/);
  return page;
}

test.beforeAll(async () => {
  server = await startE2eServer();
});
test.afterAll(async () => {
  await world.cleanup();
  await server?.stop();
});

test("an operator captures ping packets from a stack card, watches them arrive, opens one and downloads the file", async ({
  browser,
}) => {
  const a = world.netnsAdd("ca").name;
  const b = world.netnsAdd("cb").name;
  const linkA = world.name("ca0");
  world.run(["ip", "-n", a, "link", "add", linkA, "type", "veth", "peer", "name", world.name("cb0"), "netns", b]);
  world.run(["ip", "-n", a, "addr", "add", `${ADDR_A}/24`, "dev", linkA]);
  world.run(["ip", "-n", b, "addr", "add", `${ADDR_B}/24`, "dev", world.name("cb0")]);
  world.run(["ip", "-n", a, "link", "set", linkA, "up"]);
  world.run(["ip", "-n", b, "link", "set", world.name("cb0"), "up"]);

  const page = await logIn(browser, createToken(server.dataDir, "operator", `${world.prefix}-op`));
  const card = page.locator('[data-testid="stack-card"]', { has: page.getByRole("heading", { name: a, exact: true }) });
  await expect(card.getByText(linkA, { exact: true })).toBeVisible();
  await card.getByRole("button", { name: "Capture…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Interface").selectOption(linkA);
  await dialog.getByLabel(/Capture filter/).fill("icmp");
  await dialog.getByRole("button", { name: "Plan" }).click();
  await expect(dialog.getByTestId("action-plan")).toContainText("dumpcap");
  await dialog.getByLabel(`Type ${a} to confirm`).fill(a);
  await dialog.getByRole("button", { name: "Run" }).click();
  await expect(dialog.getByTestId("action-outcome")).toHaveAttribute("data-status", "succeeded");
  await dialog.getByTestId("capture-link").click();
  await expect(page.getByTestId("capture-state")).toHaveText("running");

  world.run(["ip", "netns", "exec", a, "busybox", "ping", "-c", "3", "-i", "0.3", ADDR_B]);
  const rows = page.getByTestId("packet-row");
  await expect(rows).toHaveCount(6);
  await expect(rows.filter({ hasText: "Echo request" })).toHaveCount(3);
  await rows.filter({ hasText: "Echo reply" }).first().click();
  const detail = page.getByTestId("packet-detail");
  await expect(detail).toContainText("Internet Control Message Protocol");
  await expect(detail).toContainText(ADDR_B);
  await expect(page.getByTestId("hex-dump")).toContainText("0000  ");
  await page.getByLabel("Display filter").fill("request");
  await expect(rows).toHaveCount(3);
  await shot(page, "capture-live");

  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("capture-state")).toHaveText("ended: stopped");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download .pcapng" }).click();
  const file = join(world.tmpDir(), "capture.pcapng");
  await (await downloading).saveAs(file);
  const info = execFileSync("capinfos", ["-c", "-M", file], { encoding: "utf8" });
  expect(Number(/Number of packets:\s+(\d+)/.exec(info)?.[1])).toBe(6);
});
