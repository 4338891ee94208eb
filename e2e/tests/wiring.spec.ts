import { readFileSync } from "node:fs";
import { World } from "@nsatlas/test-world";
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { shot } from "../support/artifacts";
import { localHostId, logIn } from "../support/login";

// The wiring view on stacks the test makes: a veth pair between two stacks, a bridge with two
// ports leading to two more, a macvlan on that bridge and a veth left DOWN. Everything carries
// the world's prefix and is removed afterwards (deleting a stack deletes its links).
const world = new World();
const octet = 100 + Math.floor(Math.random() * 100);
let names: Record<string, string> = {};

test.beforeAll(() => {
  const [a, b, hub, c1, c2] = ["-a", "-b", "-hub", "-c1", "-c2"].map((s) => world.netnsAdd(s).name) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const n = (s: string) => world.name(s);
  const ip = (...argv: string[]) => world.run(["ip", ...argv]);
  ip("link", "add", n("va"), "netns", a, "type", "veth", "peer", "name", n("vb"), "netns", b);
  ip("-n", a, "link", "set", n("va"), "up");
  ip("-n", b, "link", "set", n("vb"), "up");
  ip("-n", a, "addr", "add", `10.${octet}.9.1/24`, "dev", n("va"));
  ip("-n", b, "addr", "add", `10.${octet}.9.2/24`, "dev", n("vb"));
  ip("-n", hub, "link", "add", n("br"), "type", "bridge");
  ip("-n", hub, "link", "set", n("br"), "up");
  ip("-n", hub, "addr", "add", `10.${octet}.8.1/24`, "dev", n("br"));
  for (const [i, c] of [c1, c2].entries()) {
    ip("link", "add", n(`h${i}`), "netns", hub, "type", "veth", "peer", "name", n(`c${i}`), "netns", c);
    ip("-n", hub, "link", "set", n(`h${i}`), "master", n("br"), "up");
    ip("-n", c, "link", "set", n(`c${i}`), "up");
    ip("-n", c, "addr", "add", `10.${octet}.8.${10 + i}/24`, "dev", n(`c${i}`));
  }
  ip("-n", hub, "link", "add", n("mv"), "link", n("br"), "type", "macvlan");
  // Left DOWN on purpose: a link that cannot carry traffic must look different.
  ip("link", "add", n("dn"), "netns", a, "type", "veth", "peer", "name", n("dp"), "netns", c2);
  names = { a, b, hub, c1, c2 };
});

test.afterAll(async () => {
  await world.cleanup();
});

const box = (page: Page, title: string) => page.locator(`[data-testid="stack-box"][data-title="${title}"]`);
const port = (page: Page, title: string, link: string) =>
  box(page, title).locator(`[data-testid="port"][data-name="${link}"]`);
const wireOf = async (page: Page, kind: string, p: Locator) => {
  const id = await p.getAttribute("data-port");
  return page.locator(
    `[data-testid="wire"][data-kind="${kind}"][data-a="${id}"], [data-testid="wire"][data-kind="${kind}"][data-b="${id}"]`,
  );
};

async function openWiring(page: Page): Promise<string> {
  await logIn(page);
  const base = `/hosts/${encodeURIComponent(await localHostId(page))}`;
  await page.goto(`${base}/topology?group=none`);
  for (const t of Object.values(names)) await expect(box(page, t)).toBeVisible();
  await expect(page.getByTestId("wiring-status")).toHaveAttribute("data-pending", "false");
  return base;
}

/** Whether the centre of every box of ours lies inside the canvas. */
async function allInView(page: Page): Promise<boolean> {
  const c = await page.getByTestId("wiring-canvas").boundingBox();
  if (!c) return false;
  for (const t of Object.values(names)) {
    const b = await box(page, t).boundingBox();
    if (!b) return false;
    const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
    if (x < c.x || x > c.x + c.width || y < c.y || y > c.y + c.height) return false;
  }
  return true;
}

test("wiring: ports, kinds of wire, DOWN, fit, zoom at the cursor, hover, focus, export", async ({ page }) => {
  const n = (s: string) => world.name(s);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openWiring(page);

  // Ports with their addresses and state; each kind of wire on what the test made.
  await expect(port(page, names.b ?? "", n("vb"))).toContainText(`10.${octet}.9.2/24`);
  await expect(port(page, names.b ?? "", n("vb"))).toHaveAttribute("data-state", "UP");
  await expect(
    page.locator(
      `[data-testid="wire"][data-kind="veth"][data-wire="${n("va")} ⇄ ${n("vb")}"], [data-testid="wire"][data-kind="veth"][data-wire="${n("vb")} ⇄ ${n("va")}"]`,
    ),
  ).toHaveCount(1);
  await expect(box(page, names.hub ?? "").locator(`[data-testid="bridge-band"][data-bridge="${n("br")}"]`)).toHaveCount(
    1,
  );
  for (const h of ["h0", "h1"])
    await expect(await wireOf(page, "member", port(page, names.hub ?? "", n(h)))).toHaveCount(1);
  await expect(await wireOf(page, "parent", port(page, names.hub ?? "", n("mv")))).toHaveCount(1);
  const down = port(page, names.a ?? "", n("dn"));
  await expect(down).toHaveAttribute("data-down", "true");
  await expect(down).toContainText("DOWN");
  await expect(await wireOf(page, "veth", down)).toHaveAttribute("data-down", "true");
  await expect(page.getByTestId("wiring-legend")).toContainText("macvlan / macvtap parent");

  // Fit on load; zooming in loses some of it, Fit brings it all back.
  expect(await allInView(page)).toBe(true);
  for (let i = 0; i < 8; i++) await page.getByRole("button", { name: "Zoom in" }).click();
  expect(await allInView(page)).toBe(false);
  await page.getByRole("button", { name: "Fit" }).click();
  await expect.poll(() => allInView(page)).toBe(true);

  // The wheel zooms about the cursor: the box under it stays put and grows.
  const target = box(page, names.hub ?? "");
  const before = await target.boundingBox();
  if (!before) throw new Error("hub box not drawn");
  const at = { x: before.x + 20, y: before.y + 15 };
  await page.mouse.move(at.x, at.y);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => (await target.boundingBox())?.width ?? 0).toBeGreaterThan(before.width * 1.3);
  const after = await target.boundingBox();
  if (!after) throw new Error("hub box gone");
  const k = after.width / before.width;
  expect(Math.abs(after.x + (at.x - before.x) * k - at.x)).toBeLessThan(3);
  expect(Math.abs(after.y + (at.y - before.y) * k - at.y)).toBeLessThan(3);
  await page.getByRole("button", { name: "Fit" }).click();

  // Hover card on a port, card on click of a stack, the port's action menu.
  await port(page, names.b ?? "", n("vb")).hover();
  await expect(page.getByTestId("wiring-hover")).toContainText(`${n("vb")} in ${names.b}`);
  await expect(page.getByTestId("wiring-hover")).toContainText(`10.${octet}.9.2/24`);
  await box(page, names.hub ?? "")
    .getByRole("button", { name: new RegExp(`^${names.hub} `) })
    .click();
  await expect(page.getByTestId("wiring-card")).toContainText(names.hub ?? "");
  await expect(page.getByTestId("wiring-card").getByRole("link", { name: "Open in Stacks" })).toBeVisible();
  await port(page, names.hub ?? "", n("br")).click();
  await expect(page.getByTestId("port-actions")).toBeVisible();
  await page.mouse.move(1, 1); // the hover card gone, the port's card stays
  await expect(page.getByTestId("wiring-hover")).toHaveCount(0);
  await shot(page, "wiring-1440-light");

  // Focus on b: b and what is one wire away (a); the bridge's stacks are not.
  await page.getByLabel("Focus on").selectOption({ label: names.b ?? "" });
  await expect(box(page, names.a ?? "")).toBeVisible();
  await expect(box(page, names.hub ?? "")).toHaveCount(0);
  await expect(box(page, names.c1 ?? "")).toHaveCount(0);
  await page.getByLabel("within").selectOption("2");
  await expect(box(page, names.c2 ?? "")).toBeVisible(); // b - a - (DOWN veth) - c2
  await page.getByLabel("Focus on").selectOption({ label: "every stack" });
  await expect(box(page, names.hub ?? "")).toBeVisible();

  // Grouped by name prefix, the five stacks of this test form one group.
  await page.getByLabel("Group by").selectOption("prefix");
  await expect(page.getByTestId("wiring-status")).toHaveAttribute("data-pending", "false");
  // Stacks other tests make meanwhile land under the drawing: fit again to see it all.
  await page.getByRole("button", { name: "Fit" }).click();
  const frame = page.locator(`[data-testid="group-frame"][data-group="group:prefix:${world.prefix}"]`);
  await expect(frame).toContainText(`${world.prefix} (5 stacks)`);
  await page.getByLabel("Group by").selectOption("none");

  // Export: a standalone SVG with its background, and a PNG.
  const [svgDl] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export SVG" }).click(),
  ]);
  const svg = readFileSync((await svgDl.path()) ?? "", "utf8");
  expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toMatch(/<rect [^>]*style="fill:rgb\(/);
  expect(svg).toContain(names.hub);
  const [pngDl] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export PNG" }).click(),
  ]);
  const png = readFileSync((await pngDl.path()) ?? "");
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  expect(png.readUInt32BE(16)).toBeGreaterThan(200); // width from the IHDR chunk
});

async function phonePage(browser: Browser, dark: boolean) {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
    colorScheme: dark ? "dark" : "light",
    baseURL: process.env.NSATLAS_E2E_URL,
  });
  return { ctx, page: await ctx.newPage() };
}

test("wiring at phone size, by touch: tap opens a card, two fingers zoom", async ({ browser }) => {
  const { ctx, page } = await phonePage(browser, false);
  try {
    await openWiring(page);
    // The view itself fits the phone's width (the header and tabs are the app shell's).
    const view = await page.getByTestId("wiring-view").boundingBox();
    expect((view?.x ?? 0) + (view?.width ?? 999)).toBeLessThanOrEqual(390);
    expect(await page.getByTestId("wiring-view").evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    await box(page, names.hub ?? "")
      .getByRole("button", { name: new RegExp(`^${names.hub} `) })
      .tap();
    await expect(page.getByTestId("wiring-card")).toContainText(names.hub ?? "");
    const c = await page.getByTestId("wiring-canvas").boundingBox();
    if (!c) throw new Error("no canvas");
    const k0 = Number(await page.getByTestId("wiring-transform").getAttribute("data-k"));
    const cdp = await ctx.newCDPSession(page);
    const mid = { x: c.x + c.width / 2, y: c.y + c.height / 2 };
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", d: number) =>
      cdp.send("Input.dispatchTouchEvent", {
        type,
        touchPoints:
          type === "touchEnd"
            ? []
            : [
                { x: mid.x - d, y: mid.y, id: 1 },
                { x: mid.x + d, y: mid.y, id: 2 },
              ],
      });
    await touch("touchStart", 30);
    for (let d = 40; d <= 120; d += 10) await touch("touchMove", d);
    await touch("touchEnd", 0);
    await expect
      .poll(async () => Number(await page.getByTestId("wiring-transform").getAttribute("data-k")))
      .toBeGreaterThan(k0 * 2);
  } finally {
    await ctx.close();
  }
});

test("wiring screenshots at both sizes in both themes", async ({ browser }) => {
  for (const dark of [false, true])
    for (const [w, h] of [
      [1440, 900],
      [390, 844],
    ] as const) {
      const ctx = await browser.newContext({
        viewport: { width: w, height: h },
        colorScheme: dark ? "dark" : "light",
        baseURL: process.env.NSATLAS_E2E_URL,
      });
      const page = await ctx.newPage();
      try {
        await openWiring(page);
        await page.getByLabel("Focus on").selectOption({ label: names.hub ?? "" });
        await page.getByLabel("within").selectOption("2");
        await expect(box(page, names.c1 ?? "")).toBeVisible();
        await page.getByRole("button", { name: "Fit" }).click();
        await shot(page, `wiring-${w}-${dark ? "dark" : "light"}${w === 1440 && !dark ? "-focus" : ""}`);
      } finally {
        await ctx.close();
      }
    }
});
