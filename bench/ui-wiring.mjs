// Wiring view figures in Chromium: 50 stacks (each a veth pair into one hub bridge) laid out and
// drawn, with the longest main-thread task meanwhile; then one stack more, and which boxes moved.
import { execFileSync } from "node:child_process";
import { percentile } from "./measure.mjs";
import { BenchWorld } from "./world-builder.mjs";

const STACKS = 50;

/** `ip [-n NS] -batch -`: one process for many commands (argv lines, no shell). */
function ipBatch(lines, ns) {
  execFileSync("ip", [...(ns ? ["-n", ns] : []), "-force", "-batch", "-"], { input: `${lines.join("\n")}\n` });
}

/** A stack PREFIX-wI with a veth pair whose other end is a port of the hub's bridge. */
function addWired(world, hub, bridge, i) {
  const name = `${world.prefix}-w${i}`;
  const [a, b] = [`${world.prefix}h${i}`, `${world.prefix}c${i}`];
  world.stacks.push(name);
  ipBatch([`netns add ${name}`, `link add ${a} netns ${hub} type veth peer name ${b} netns ${name}`]);
  ipBatch([`link set ${a} master ${bridge} up`], hub);
  ipBatch([`link set ${b} up`, `addr add 10.${200 + Math.floor(i / 250)}.${i % 250}.2/16 dev ${b}`], name);
}

/** Boxes of this run's stacks as drawn: title -> "x,y" (drawing coordinates). */
const boxesOf = (page, prefix) =>
  page.evaluate(
    (p) =>
      Object.fromEntries(
        [...document.querySelectorAll('[data-testid="stack-box"]')]
          .filter((b) => b.getAttribute("data-title")?.startsWith(p))
          .map((b) => [b.getAttribute("data-title"), `${b.getAttribute("data-x")},${b.getAttribute("data-y")}`]),
      ),
    prefix,
  );

/** Waits (checking every frame) until `count` boxes of this run are drawn; the page's clock then. */
async function drawnAt(page, prefix, count) {
  const h = await page.waitForFunction(
    ({ p, n }) => {
      const drawn = [...document.querySelectorAll('[data-testid="stack-box"]')].filter((b) =>
        b.getAttribute("data-title")?.startsWith(p),
      ).length;
      const idle = document.querySelector('[data-testid="wiring-status"]')?.getAttribute("data-pending") === "false";
      return drawn >= n && idle ? performance.now() : false;
    },
    { p: prefix, n: count },
    { polling: "raf", timeout: 60_000 },
  );
  return h.jsonValue();
}

export async function uiWiringBench(context, hostBase) {
  const world = new BenchWorld();
  const hub = `${world.prefix}-hub`;
  const bridge = `${world.prefix}br`;
  world.stacks.push(hub);
  try {
    ipBatch([`netns add ${hub}`]);
    ipBatch([`link add ${bridge} type bridge`, `link set ${bridge} up`], hub);
    for (let i = 0; i < STACKS; i++) addWired(world, hub, bridge, i);
    const page = await context.newPage();
    // Long tasks on the page's main thread while it loads, lays out and draws.
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    const url = `${hostBase}/topology?group=none`;
    const fromMount = [];
    const fromNav = [];
    const toLayout = [];
    const longest = [];
    for (let run = 0; run < 5; run++) {
      await page.goto(url);
      const at = await drawnAt(page, world.prefix, STACKS + 1);
      const r = await page.evaluate(() => {
        const mount = performance.getEntriesByName("wiring:mount")[0]?.startTime ?? 0;
        const laid = performance.getEntriesByName("wiring:laid-out").at(-1)?.startTime ?? 0;
        return { mount, laid, tasks: window.__longTasks.filter((t) => t.start >= mount) };
      });
      fromNav.push(at);
      fromMount.push(at - r.mount);
      toLayout.push(r.laid - r.mount);
      longest.push(Math.max(0, ...r.tasks.map((t) => t.ms)));
    }
    const status = await page.getByTestId("wiring-status").getAttribute("data-layout-ms");
    console.log(
      `wiring view, ${STACKS} stacks (+ their hub) on a bridge: view shown -> laid out and drawn p50 ${Math.round(percentile(fromMount, 50))} ms, max ${Math.round(Math.max(...fromMount))} ms over ${fromMount.length} loads (target <= 1000 ms); from navigation p50 ${Math.round(percentile(fromNav, 50))} ms; positions back from the worker p50 ${Math.round(percentile(toLayout, 50))} ms after the view is shown (ELK itself ${Math.round(Number(status))} ms); longest main-thread task meanwhile p50 ${Math.round(percentile(longest, 50))} ms, max ${Math.round(Math.max(...longest))} ms`,
    );

    // One stack more, wired to the same bridge: no box already drawn may move.
    const moved = [];
    for (let k = 0; k < 5; k++) {
      const before = await boxesOf(page, world.prefix);
      addWired(world, hub, bridge, STACKS + k);
      await drawnAt(page, world.prefix, STACKS + 2 + k);
      const after = await boxesOf(page, world.prefix);
      moved.push(Object.entries(before).filter(([t, p]) => after[t] !== p).length);
    }
    console.log(
      `wiring view, one stack added to ${STACKS}: boxes moved ${moved.join(", ")} over ${moved.length} additions (target 0)`,
    );
    await page.close();
  } finally {
    await world.destroy();
  }
}
