// What a live change costs an open tab: the bytes the server writes to that tab's sockets
// (counted by a TCP relay between Chromium and the server, so permessage-deflate is whatever
// Chromium negotiated), on a host of 3,000 processes fed by a synthetic agent speaking the
// real protocol; then the JS heap of a stacks view open through 1 Hz process churn.
//
// `node bench/ui-bytes.mjs [--minutes N] [--server-main PATH]` (`npm run bench -- ui
// --ui-minutes N`): N (default 60) is how long the stacks view stays open; its heap is compared
// at N/12 minutes (5 of 60) and at N. PATH: another build's dist/server/main.js (main's, say,
// for a before figure).
import { execFileSync } from "node:child_process";
import { connect, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_LAUNCH } from "../e2e/chromium-launch.mjs";
import { BENCH_ADMIN_TOKEN, startServerProcess } from "./server-process.mjs";
import { SyntheticAgent } from "./synthetic-agent.mjs";

const AGENT = new URL("../apps/agent/bin/nsatlas-agent", import.meta.url).pathname;
const FLEET_TOKEN = "bench-ui-fleet-token-0123456789abcdef";
const HOST_ID = "bench-ui-host";
const PROCESSES = 3_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A relay to the server that counts what the server writes, per kind of connection. */
async function countingRelay(target) {
  const written = { trpcSocket: 0, otherSockets: 0, http: 0 };
  const open = new Set();
  const relay = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client).add(upstream);
    let kind = "http";
    client.once("data", (first) => {
      const head = first.toString("latin1", 0, Math.min(first.length, 4096));
      if (head.startsWith("GET /api/trpc-ws")) kind = "trpcSocket";
      else if (/^upgrade:\s*websocket/im.test(head)) kind = "otherSockets";
    });
    upstream.on("data", (d) => {
      written[kind] += d.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise((r) => relay.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${relay.address().port}`,
    written,
    close: () => {
      for (const s of open) s.destroy();
      relay.close();
    },
  };
}

/** A real scan of this host, with copies of one of its sleeping processes (in that process's
 * namespaces, listed as their members the way a scan lists them) up to `count` processes. */
export function hostOf(count) {
  const inv = JSON.parse(execFileSync(AGENT, ["scan", "--json"], { maxBuffer: 1 << 30 }));
  const template = inv.processes.find((p) => p.comm === "sleep") ?? inv.processes.at(-1);
  const added = [];
  for (let pid = 4_000_000; inv.processes.length + added.length < count; pid++)
    added.push({ ...template, pid, comm: "sleep", startTime: pid, cmdline: ["sleep", `${pid}.${pid % 97}`] });
  inv.processes = [...inv.processes, ...added].sort((a, b) => a.pid - b.pid);
  const ids = new Set(Object.entries(template.ns).map(([t, inode]) => `${t}:${inode}`));
  for (const ns of inv.namespaces) {
    if (!ids.has(ns.id)) continue;
    ns.pids = [...ns.pids, ...added.map((p) => p.pid)];
    const holders = added.map((p) => ({ kind: "process", pid: p.pid }));
    const firstOther = ns.holders.findIndex((h) => h.kind !== "process");
    ns.holders =
      firstOther < 0
        ? [...ns.holders, ...holders]
        : [...ns.holders.slice(0, firstOther), ...holders, ...ns.holders.slice(firstOther)];
  }
  return inv;
}

/** A new named stack, as `ip netns add` shows in the next scan: its namespace and its stack. */
function newStack(inv, name, inode) {
  const user = inv.namespaces.find((n) => n.type === "user" && n.initial)?.id ?? null;
  const ns = `net:${inode}`;
  return {
    namespaces: {
      upsert: [
        {
          id: ns,
          type: "net",
          inode,
          initial: false,
          names: [name],
          pids: [],
          holders: [{ kind: "bindmount", path: `/run/netns/${name}` }],
          owner: user,
          parent: null,
        },
      ],
    },
    netstacks: {
      upsert: [
        {
          ns,
          links: [
            {
              ifindex: 1,
              name: "lo",
              kind: "loopback",
              state: "DOWN",
              flags: ["LOOPBACK"],
              mtu: 65536,
              mac: "00:00:00:00:00:00",
              master: null,
              linkNs: null,
              peer: null,
              tunOwners: [],
              addresses: [],
            },
          ],
          routes: [],
          listening: [],
          files: {},
        },
      ],
    },
  };
}

/** Bytes the server writes to the tab while `act` runs and `seen` becomes true, plus a quiet
 * second for anything that trails it (a refetch that follows the event). */
async function measure(relay, act, seen) {
  await sleep(1_500);
  const before = { ...relay.written };
  await act();
  await seen();
  await sleep(1_500);
  return Object.fromEntries(Object.entries(relay.written).map(([k, v]) => [k, v - before[k]]));
}

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const line = (what, d, target) =>
  console.log(
    `${what}: tRPC socket ${kib(d.trpcSocket)} (target <= ${target}); all of the tab's connections ${kib(d.trpcSocket + d.otherSockets + d.http)} (HTTP ${kib(d.http)})`,
  );

async function heapUsed(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  return (await cdp.send("Runtime.getHeapUsage")).usedSize;
}

export async function uiBytesBench(argv = []) {
  const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const minutes = Number(option("--minutes") ?? 60);
  const main = option("--server-main");
  const server = await startServerProcess({
    env: { NSATLAS_LOCAL_AGENT: "0", NSATLAS_AGENT_TOKEN: FLEET_TOKEN },
    ...(main ? { main } : {}),
  });
  const relay = await countingRelay(new URL(server.url));
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const base = hostOf(PROCESSES);
  const agent = new SyntheticAgent({
    url: `${server.url.replace("http", "ws")}/agent`,
    token: FLEET_TOKEN,
    id: HOST_ID,
    base,
    churnEveryMs: 2 ** 30, // changes come from this bench, not a timer
    onEvent: (e) => {
      if (e === "closed" || e === "error" || e === "resync") console.log(`synthetic agent: ${e}`);
    },
  });
  try {
    agent.start();
    const processes = async () =>
      (await server.get("/api/v1/hosts"))?.hosts?.find((h) => h.id === HOST_ID)?.counts.processes ?? 0;
    for (let n = 0; n < 600 && (await processes()) < PROCESSES; n++) await sleep(100);
    console.log(`host: ${base.processes.length} processes, ${base.namespaces.length} namespaces, server ${server.url}`);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${relay.url}/login`);
    await page.getByLabel("Access token").fill(BENCH_ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto(`${relay.url}/hosts/${HOST_ID}/stacks`);
    await page
      .locator('[data-testid="stack-card"]')
      .first()
      .waitFor()
      .catch(async (e) => {
        await page.screenshot({ path: "/tmp/ui-bytes-failure.png" });
        throw e;
      });

    const card = (name) => page.locator(`[data-testid="stack-card"]:has(h3:text-is("${name}"))`);
    const stacks = [];
    for (let n = 0; n < 3; n++) {
      const name = `bench-ui-stack-${n}`;
      stacks.push(
        await measure(
          relay,
          () => agent.delta(newStack(base, name, 4026599000 + n)),
          () => card(name).waitFor({ timeout: 15_000 }),
        ),
      );
    }
    console.log(`one new stack, tRPC socket, each of 3 in turn: ${stacks.map((d) => kib(d.trpcSocket)).join(", ")}`);
    line("one new stack (the largest of 3)", stacks.toSorted((a, b) => b.trpcSocket - a.trpcSocket)[0], "2 KB");

    // Nothing on the stacks view names these processes: the quiet second after is the wait.
    const burst = await measure(
      relay,
      () => agent.changeProcesses(50, 50),
      async () => {},
    );
    line("50 process starts + 50 exits in one scan", burst, "20 KB");

    // The stacks view open through 1 Hz churn: the heap at N/12 and at N minutes, after GC.
    const cdp = await page.context().newCDPSession(page);
    const churn = setInterval(() => agent.changeProcesses(1, 1), 1_000);
    const startBytes = relay.written.trpcSocket;
    const t0 = Date.now();
    const at = async (m) => {
      await sleep(Math.max(0, t0 + m * 60_000 - Date.now()));
      return heapUsed(cdp);
    };
    // Twelve samples (every 5 minutes of an hour), each printed as it comes.
    const samples = [];
    for (let k = 1; k <= 12; k++) {
      samples.push(await at((minutes * k) / 12));
      console.log(
        `  minute ${((minutes * k) / 12).toFixed(2)}: JS heap used after GC ${(samples.at(-1) / 2 ** 20).toFixed(2)} MiB`,
      );
    }
    const [early, late] = [samples[0], samples.at(-1)];
    clearInterval(churn);
    const perSecond = (relay.written.trpcSocket - startBytes) / ((Date.now() - t0) / 1000);
    console.log(
      `stacks view open ${minutes} min under 1 Hz churn (1 start + 1 exit a second): JS heap used after GC ${(early / 2 ** 20).toFixed(2)} MiB at minute ${(minutes / 12).toFixed(2)}, ${(late / 2 ** 20).toFixed(2)} MiB at minute ${minutes} (${(((late - early) / early) * 100).toFixed(1)} %; target within 10 %); tRPC socket ${(perSecond / 1024).toFixed(2)} KiB/s`,
    );
  } finally {
    agent.stop();
    await browser.close();
    relay.close();
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.geteuid?.() !== 0) {
    console.error("the ui bench needs root (it scans the host)");
    process.exit(1);
  }
  await uiBytesBench(process.argv.slice(2));
}
