import AxeBuilder from "@axe-core/playwright";
import { World } from "@nsatlas/test-world";
import { expect, type Page, test } from "@playwright/test";
import { shot } from "../support/artifacts";
import { localHostId, logIn } from "../support/login";

// Every view at a desk (1440×900) and on a phone (390×844), light and dark: a screenshot of
// each into e2e/artifacts/, no serious or critical accessibility violation (axe), and on the
// phone no sideways scrolling. Then the keyboard: the shortcuts help, j/k/Enter on cards, and
// a search result that lands on its card.
const world = new World();
let red: { name: string; path: string };

test.beforeAll(async () => {
  red = world.netnsAdd("vred");
  const [a, b] = [world.name("vva"), world.name("vvb")];
  world.run(["ip", "link", "add", a, "type", "veth", "peer", "name", b]);
  world.defer(() => {
    try {
      world.run(["ip", "link", "del", a]);
    } catch {
      // gone with its stack already
    }
  });
  world.run(["ip", "link", "set", b, "netns", red.name]);
  world.run(["ip", "-n", red.name, "addr", "add", "10.203.9.2/24", "dev", b]);
  await world.spawn(["nsenter", `--net=${red.path}`, "sleep", "1002"], { comm: "sleep" });
});

test.afterAll(async () => {
  await world.cleanup();
});

const SIZES = [
  ["desk", 1440, 900],
  ["phone", 390, 844],
] as const;
const THEMES = ["light", "dark"] as const;

/** The views a person opens, each with what shows it has rendered. */
function views(hostBase: string): Array<[string, string, (page: Page) => Promise<void>]> {
  const testid = (id: string) => async (page: Page) => {
    await expect(page.getByTestId(id).first()).toBeVisible();
  };
  return [
    ["stacks", `${hostBase}/stacks`, testid("stack-card")],
    ["stacks-table", `${hostBase}/stacks?view=table`, testid("stack-row")],
    ["processes", `${hostBase}/processes`, testid("process-list")],
    ["namespaces", `${hostBase}/namespaces`, async (page) => expect(page.locator("main, table").first()).toBeVisible()],
    ["topology", `${hostBase}/topology`, async (page) => expect(page.locator("svg").first()).toBeVisible()],
    ["history", `${hostBase}/history`, async (page) => expect(page.getByRole("heading").first()).toBeVisible()],
    ["audit", "/audit", testid("chain-status")],
    ["search", `/search?q=${encodeURIComponent(red.name)}`, testid("search-result")],
  ];
}

async function setTheme(page: Page, theme: (typeof THEMES)[number]): Promise<void> {
  await page.addInitScript({ content: `localStorage.setItem("nsatlas-theme", "${theme}")` });
  await page.emulateMedia({ colorScheme: theme });
}

/** Serious and critical axe violations of the page, one line each, for a readable failure. */
async function axeProblems(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(" ")}`);
}

// Evaluated in the page (this file is compiled without the DOM's types).
const sidewaysScroll = (page: Page) =>
  page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

for (const [size, width, height] of SIZES) {
  for (const theme of THEMES) {
    test(`every view at ${size} size in ${theme}: screenshot, axe, no sideways scroll`, async ({ browser }) => {
      // Nine views, each with an axe run: longer than one journey.
      test.setTimeout(300_000);
      const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
      await setTheme(page, theme);
      await page.goto("/login");
      await expect(page.getByLabel("Access token")).toBeVisible();
      await shot(page, `login-${size}-${theme}`);
      expect.soft(await axeProblems(page), "login: axe").toEqual([]);
      if (size === "phone") expect.soft(await sidewaysScroll(page), "login: sideways scroll px").toBe(0);
      await logIn(page);
      const hostBase = `/hosts/${encodeURIComponent(await localHostId(page))}`;
      for (const [name, url, rendered] of views(hostBase)) {
        await page.goto(url);
        await rendered(page);
        await page.waitForTimeout(300);
        await shot(page, `${name}-${size}-${theme}`);
        expect.soft(await axeProblems(page), `${name}: axe`).toEqual([]);
        if (size === "phone") expect.soft(await sidewaysScroll(page), `${name}: sideways scroll px`).toBe(0);
      }
    });
  }
}

test("keyboard: ? shows the shortcuts and keeps focus until closed; j/k move through cards; Enter opens one", async ({
  page,
}) => {
  await logIn(page);
  const hostBase = `/hosts/${encodeURIComponent(await localHostId(page))}`;
  await page.goto(`${hostBase}/stacks`);
  await expect(page.getByTestId("stack-card").first()).toBeVisible();
  await page.locator("body").click({ position: { x: 5, y: 300 } });

  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help.getByTestId("shortcuts-help")).toBeVisible();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    await expect(help.locator(":focus")).toHaveCount(1);
  }
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);

  await page.keyboard.press("j");
  const cards = page.getByTestId("stack-card");
  await expect(cards.nth(0)).toBeFocused();
  await page.keyboard.press("j");
  await expect(cards.nth(1)).toBeFocused();
  await page.keyboard.press("k");
  await expect(cards.nth(0)).toBeFocused();
  // Enter on the initial stack's card unfolds its detail (it starts folded).
  const toggle = cards.nth(0).getByRole("button", { name: /detail/ });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
});

test("a search result lands on the card it names, scrolled to and highlighted, from another page", async ({ page }) => {
  await logIn(page);
  const hostBase = `/hosts/${encodeURIComponent(await localHostId(page))}`;
  await page.goto(`${hostBase}/namespaces`);
  await page.getByLabel("Search").fill("10.203.9.2");
  await page.getByLabel("Search").press("Enter");
  const hit = page.getByTestId("search-result").filter({ hasText: red.name }).first();
  await hit.getByRole("link").click();
  await expect(page).toHaveURL(/\/stacks#net:\d+/);
  const card = page.locator('[data-testid="stack-card"]', { has: page.getByRole("heading", { name: red.name }) });
  await expect(card).toBeInViewport();
  await expect(card).toHaveAttribute("data-flash", "true");
  await expect(card).toBeFocused();
});

test("processes: kernel threads hidden until asked for, sortable, a stack-name column", async ({ page }) => {
  await logIn(page);
  const hostBase = `/hosts/${encodeURIComponent(await localHostId(page))}`;
  await page.goto(`${hostBase}/processes?filter=kthreadd`);
  await expect(page.getByTestId("process-count")).toContainText("0 of");
  await page.getByLabel("kernel threads").click();
  await expect(page.getByLabel("kernel threads")).toBeChecked();
  await expect(page.getByTestId("process-list")).toContainText("[kthreadd]");
  await page.goto(`${hostBase}/processes?filter=${encodeURIComponent("sleep 1002")}`);
  await expect(page.getByTestId("process-stack").first()).toContainText(red.name);
  await page.getByRole("button", { name: /^pid/ }).click();
  await expect(page).toHaveURL(/sort=pid/);
  await page.getByRole("button", { name: /^pid/ }).click();
  await expect(page).toHaveURL(/desc=1/);
});

test("no 404 on a page load (favicon included) and no prefetch storm from pid links", async ({ page }) => {
  const missing: string[] = [];
  const prefetches: string[] = [];
  page.on("response", (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  page.on("request", (r) => {
    if (r.headers()["next-router-prefetch"]) prefetches.push(r.url());
  });
  await logIn(page);
  const hostBase = `/hosts/${encodeURIComponent(await localHostId(page))}`;
  await page.goto(`${hostBase}/stacks`);
  prefetches.length = 0;
  await expect(page.locator(`[data-testid="stack-card"] [data-pid]`).first()).toBeVisible();
  await page.waitForTimeout(1_500);
  expect(missing).toEqual([]);
  // The header's and tabs' links may warm their pages; the dozens of pid links may not.
  const pidLinks = await page.locator("[data-pid]").count();
  expect(prefetches.filter((u) => /\/processes\/\d+/.test(u))).toEqual([]);
  expect(new Set(prefetches.map((u) => new URL(u).pathname)).size).toBeLessThanOrEqual(8);
  expect(pidLinks).toBeGreaterThan(0);
});
