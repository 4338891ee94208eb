// `npm run bench:fleet [-- 50 100 …] [--window S] [--cpu-prof DIR]` (also `npm run bench fleet`): synthetic
// agents speaking the real protocol against one real dashboard server process. For each
// fleet size: hub CPU (cores), RSS, `GET /api/v1/search` p95 and whether any host ever flipped
// to stale. Inventories are recorded from a real scan of this host, grown to 1,000 processes.
// Generator and hub share this machine's cores. Needs root (it starts ~1,000 processes).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fleetReplicasBench } from "./fleet-replicas-bench.mjs";
import { percentile } from "./measure.mjs";
import { BENCH_ADMIN_TOKEN, startServerProcess } from "./server-process.mjs";
import { BenchWorld } from "./world-builder.mjs";

const AGENT = new URL("../apps/agent/bin/nsatlas-agent", import.meta.url).pathname;
const LOAD = fileURLToPath(new URL("./fleet-load.mjs", import.meta.url));
const FLEET_TOKEN = "bench-fleet-token-0123456789abcdef";
const PROCESSES = 1_000;
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s
const GIB = 1024 ** 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// What people ask a fleet: an address on one host, one on two, a listening port, a rare
// process name (found on few hosts: a full pass), a pid, a finding code, and a miss.
const QUERIES = ["198.18.0.7", "198.18.255.1", ":2024", "pgbouncer", "4242", "leaked-stack", "no-such-thing"];

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]); // utime + stime
}

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/** A real scan of this host with enough sleeping processes (in a few named stacks) added to
 * reach PROCESSES, as one synthetic agent's inventory. */
async function recordInventory() {
  const world = new BenchWorld();
  try {
    const now = JSON.parse(execFileSync(AGENT, ["scan", "--json"], { maxBuffer: 1 << 30 }));
    world.addStacks(8);
    const more = Math.max(0, PROCESSES - now.processes.length - 1);
    await world.startMany(more, (i) => [
      "nsenter",
      `--net=/run/netns/${world.stacks[i % world.stacks.length]}`,
      "sleep",
      `${30000 + i}.${i % 97}`,
    ]);
    return JSON.parse(execFileSync(AGENT, ["scan", "--json"], { maxBuffer: 1 << 30 }));
  } finally {
    await world.destroy();
  }
}

async function metricValue(url, name, labels = "") {
  const r = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } });
  const text = await r.text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

async function timedSearch(url, q) {
  const start = performance.now();
  const r = await fetch(`${url}/api/v1/search?q=${encodeURIComponent(q)}`, {
    headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
  });
  const body = await r.json();
  return { ms: performance.now() - start, matches: body.matches?.length ?? -1 };
}

async function oneSize(count, inventoryFile, windowS, prof) {
  const server = await startServerProcess({
    env: { NSATLAS_LOCAL_AGENT: "0", NSATLAS_AGENT_TOKEN: FLEET_TOKEN },
    nodeArgs: prof ? ["--cpu-prof", "--cpu-prof-dir", prof] : [],
  });
  const rampMs = Math.max(5_000, count * 40); // jittered connects: 500 agents over 20 s
  const load = spawn(
    process.execPath,
    [
      "--max-old-space-size=8192",
      LOAD,
      `${server.url.replace("http", "ws")}/agent`,
      FLEET_TOKEN,
      String(count),
      inventoryFile,
      String(rampMs),
    ],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NSATLAS_TEST_RUN: "bench" } },
  );
  let events = {};
  load.stdout.on("data", (d) => {
    const last = d.toString().trim().split("\n").pop();
    if (last) events = JSON.parse(last);
  });
  try {
    // Ramp: wait until every host has its snapshot applied (the hub counts them connected).
    const until = Date.now() + rampMs + 120_000;
    while ((await metricValue(server.url, "nsatlas_agents", '{state="connected"}')) < count && Date.now() < until) {
      await sleep(500);
    }
    const connected = await metricValue(server.url, "nsatlas_agents", '{state="connected"}');
    await sleep(5_000); // settle: garbage of the ramp, first churn
    const t0 = cpuTicks(server.child.pid);
    const g0 = cpuTicks(load.pid);
    const w0 = performance.now();
    const latencies = [];
    const perQuery = new Map(QUERIES.map((q) => [q, []]));
    let i = 0;
    while (performance.now() - w0 < windowS * 1000) {
      const q = QUERIES[i++ % QUERIES.length];
      const r = await timedSearch(server.url, q);
      latencies.push(r.ms);
      perQuery.get(q).push(r);
      await sleep(250);
    }
    const wall = (performance.now() - w0) / 1000;
    const hubCores = (cpuTicks(server.child.pid) - t0) / TICKS / wall;
    const genCores = (cpuTicks(load.pid) - g0) / TICKS / wall;
    const mem = memory(server.child.pid);
    const staleFlips = await metricValue(server.url, "nsatlas_agent_state_changes_total", '{state="stale"}');
    const resyncs = await metricValue(server.url, "nsatlas_resyncs_total");
    const rejected = await metricValue(server.url, "nsatlas_rejected_frames_total");
    const finalConnected = await metricValue(server.url, "nsatlas_agents", '{state="connected"}');
    return {
      count,
      connected: Math.min(connected, finalConnected),
      hubCores,
      genCores,
      rss: mem.rss,
      peak: mem.peak,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      searches: latencies.length,
      perQuery,
      staleFlips,
      resyncs,
      rejected,
      events,
    };
  } finally {
    load.kill("SIGTERM");
    await new Promise((r) => load.once("exit", r));
    await server.stop();
  }
}

export async function fleetBench(argv = []) {
  const flag = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const windowS = Number(flag("--window") ?? 30);
  // --cpu-prof DIR: profile the hub (node --cpu-prof), to find what to fix when it misses a target.
  const prof = flag("--cpu-prof");
  const sizes = argv.filter((a, i) => /^\d+$/.test(a) && !argv[i - 1]?.startsWith("--")).map(Number);
  // --replicas N [--per-replica M]: dashboard replicas sharing the fleet through NATS.
  const replicas = Number(flag("--replicas") ?? 0);
  const dir = mkdtempSync(join(tmpdir(), "nsatlas-fleet-bench-"));
  try {
    const inventory = await recordInventory();
    if (replicas > 0) {
      const inventoryFile = join(dir, "inventory.json");
      writeFileSync(inventoryFile, JSON.stringify(inventory));
      const per = Number(flag("--per-replica") ?? 50);
      console.log(
        `recorded inventory: ${inventory.processes.length} processes, ${(Buffer.byteLength(JSON.stringify(inventory)) / 1024).toFixed(0)} KiB JSON; churn 1 change/s per agent`,
      );
      await fleetReplicasBench({
        replicas,
        per,
        windowS,
        inventoryFile,
        prof,
        standalone: (count) => oneSize(count, inventoryFile, windowS, prof),
      });
      return;
    }
    const inventoryFile = join(dir, "inventory.json");
    writeFileSync(inventoryFile, JSON.stringify(inventory));
    console.log(
      `recorded inventory: ${inventory.processes.length} processes, ${inventory.namespaces.length} namespaces, ${inventory.netstacks?.length ?? 0} stacks, ${(Buffer.byteLength(JSON.stringify(inventory)) / 1024).toFixed(0)} KiB JSON`,
    );
    console.log(`churn 1 change/s per agent; measured over ${windowS} s after all connected; searches every 250 ms`);
    console.log("agents | hub CPU (cores) | hub RSS   | search p50 / p95   | stale flips | generator CPU | resyncs");
    const results = [];
    for (const count of sizes.length > 0 ? sizes : [50, 100, 250, 500]) {
      const r = await oneSize(count, inventoryFile, windowS, prof);
      results.push(r);
      console.log(
        `${String(r.count).padStart(6)} | ${r.hubCores.toFixed(2).padStart(15)} | ${(r.rss / GIB).toFixed(2).padStart(5)} GiB | ${r.p50.toFixed(0).padStart(5)} / ${r.p95.toFixed(0).padStart(5)} ms | ${String(r.staleFlips).padStart(11)} | ${r.genCores.toFixed(2).padStart(13)} | ${r.resyncs}${r.connected < r.count ? `  (only ${r.connected} connected!)` : ""}`,
      );
      const slowest = [...r.perQuery].map(
        ([q, v]) =>
          `${q} ${percentile(
            v.map((x) => x.ms),
            95,
          ).toFixed(0)} ms (${v[0]?.matches ?? "?"} matches)`,
      );
      console.log(`         search p95 by query: ${slowest.join(", ")}`);
    }
    const big = results.find((r) => r.count === 500);
    if (big) {
      const ok = (b) => (b ? "ok" : "MISSED");
      console.log(
        `targets at 500 agents: hub CPU ${big.hubCores.toFixed(2)} <= 1 core ${ok(big.hubCores <= 1)}; RSS ${(big.rss / GIB).toFixed(2)} GiB <= 2 GiB ${ok(big.rss <= 2 * GIB)} (peak ${(big.peak / GIB).toFixed(2)}); search p95 ${big.p95.toFixed(0)} ms <= 200 ${ok(big.p95 <= 200)}; stale flips ${big.staleFlips} ${ok(big.staleFlips === 0)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.geteuid?.() !== 0) {
    console.error("bench:fleet needs root: it starts ~1,000 processes in named stacks to record a real scan");
    process.exit(1);
  }
  await fleetBench(process.argv.slice(2));
}
