// Live-stream figures: change latency to the REST view, wire size, agent CPU, hub restart.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { fmt, percentile } from "./measure.mjs";
import { startContainerWorld } from "./scan-bench-containers.mjs";
import { startServerProcess } from "./server-process.mjs";
import { startChurn } from "./stream-bench-churn.mjs";
import { BenchWorld } from "./world-builder.mjs";

const AGENT = new URL("../apps/agent/bin/nsatlas-agent", import.meta.url).pathname;
const NSATLAS = new URL("../apps/dashboard/bin/nsatlas", import.meta.url).pathname;
const machineId = readFileSync("/etc/machine-id", "utf8").trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

async function until(check, timeoutMs) {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await check()) return performance.now() - start;
    await sleep(5);
  }
  return null;
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]); // utime + stime of the process (fields 14, 15)
}

/** ms from `ip netns add` until the host's REST inventory names the stack, per try. */
async function netnsLatency(server, hostId, tries, prefix) {
  const named = [];
  for (let i = 0; i < tries; i++) {
    const name = `${prefix}-l${i}`;
    execFileSync("ip", ["netns", "add", name]);
    const ms = await until(async () => {
      const inv = await server.get(`/api/v1/hosts/${hostId}/inventory`);
      return inv?.namespaces.some((n) => n.names.includes(name));
    }, 10_000);
    named.push(ms ?? 10_000);
    execFileSync("ip", ["netns", "del", name]);
    await sleep(30);
  }
  return named;
}

const latencyLine = (label, v, target) =>
  console.log(
    `${label}: p50 ${v.length ? Math.round(percentile(v, 50)) : "-"} ms, p95 ${Math.round(percentile(v, 95))} ms over ${v.length} tries (target p95 <= ${target} ms)`,
  );

async function latency(server, tries, prefix) {
  const named = await netnsLatency(server, machineId, tries, prefix);
  const held = [];
  for (let i = 0; i < tries; i++) {
    const child = spawn("unshare", ["--net", "sleep", "1000"], {
      stdio: "ignore",
      env: { ...process.env, NSATLAS_TEST_RUN: prefix },
    });
    const ms = await until(async () => {
      const inv = await server.get(`/api/v1/hosts/${machineId}/inventory`);
      const p = inv?.processes.find((x) => x.pid === child.pid && x.comm === "sleep");
      return p && inv.namespaces.some((n) => n.id === `net:${p.ns.net}` && !n.initial);
    }, 10_000);
    held.push(ms ?? 10_000);
    child.kill("SIGKILL");
    await sleep(30);
  }
  latencyLine("latency ip netns add -> REST inventory", named, 300);
  latencyLine("latency unshare --net sleep -> REST inventory (--interval 1s)", held, 1300);
}

async function wireSize(prefix) {
  const inv = JSON.parse(execFileSync(AGENT, ["scan", "--json"], { maxBuffer: 1 << 30 }));
  const snapshot = JSON.stringify({ type: "snapshot", epoch: "e", seq: 1, inventory: inv });
  const raw = Buffer.byteLength(snapshot);
  const compressed = deflateRawSync(snapshot).length;
  const n = inv.processes.length;
  console.log(
    `snapshot of ${n} processes: raw ${(raw / 1024).toFixed(0)} KiB (${(raw / n).toFixed(0)} B/process), compressed ${(compressed / 1024).toFixed(0)} KiB (${(compressed / n).toFixed(1)} B/process; target <= 100)`,
  );
  // One changed namespace: a new named stack, as the agent would send it.
  const { diffInventory } = await import("@nsatlas/scanner");
  const { scan } = await import("@nsatlas/scanner");
  const opts = { procRoot: "/proc", netnsDir: "/run/netns", euid: 0, ownPid: process.pid };
  const before = scan(opts);
  execFileSync("ip", ["netns", "add", `${prefix}-delta`]);
  const after = scan(opts);
  execFileSync("ip", ["netns", "del", `${prefix}-delta`]);
  const changes = diffInventory(before, after);
  const delta = JSON.stringify({ type: "delta", epoch: "e", seq: 2, baseSeq: 1, changes });
  const changedNs = (changes?.namespaces?.upsert?.length ?? 0) + (changes?.namespaces?.remove?.length ?? 0);
  console.log(
    `delta for one new named stack: ${changedNs} namespace change(s), raw ${Buffer.byteLength(delta)} B, compressed ${deflateRawSync(delta).length} B (target <= 1 KB per changed namespace)`,
  );
}

/** A resident agent of its own (id bench-cpu) on server; cpuOver(s) measures its CPU. */
async function startAgent(server, fullEvery) {
  const agent = spawn(
    AGENT,
    [
      "run",
      "--hub",
      `${server.url.replace("http", "ws")}/agent`,
      "--agent-id",
      "bench-cpu",
      "--token-file",
      server.tokenFile,
      "--interval",
      "1s",
      "--full-every",
      fullEvery,
    ],
    { stdio: "ignore", env: { ...process.env, NSATLAS_TEST_RUN: "bench" } },
  );
  await until(async () => (await server.get("/api/v1/hosts/bench-cpu/inventory")) !== null, 60_000);
  await sleep(2_000); // let start-up settle
  return {
    /** Percent of one core the agent used over the next `seconds`. */
    async cpuOver(seconds) {
      const t0 = cpuTicks(agent.pid);
      const w0 = performance.now();
      await sleep(seconds * 1000);
      const used = (cpuTicks(agent.pid) - t0) / TICKS;
      return (100 * used) / ((performance.now() - w0) / 1000);
    },
    async stop() {
      agent.kill("SIGTERM");
      await new Promise((r) => agent.once("exit", r));
    },
  };
}

async function agentCpu(server, fullEvery, seconds) {
  const agent = await startAgent(server, fullEvery);
  const cpu = await agent.cpuOver(seconds);
  await agent.stop();
  return cpu;
}

/** Under process churn: the rate, ip netns add -> REST latency, and what the churn costs the agent. */
export async function churnFigures(server, prefix) {
  const agent = await startAgent(server, "30s");
  const calm = await agent.cpuOver(10);
  const churn = startChurn(prefix);
  try {
    const rate = await churn.rate();
    const named = await netnsLatency(server, "bench-cpu", 40, `${prefix}-c`);
    const busy = await agent.cpuOver(15);
    const after = await churn.rate();
    console.log(
      `process churn: ${Math.round(rate)} then ${Math.round(after)} process starts per second (target >= 300)`,
    );
    latencyLine("latency ip netns add -> REST inventory under churn, agent --interval 1s", named, 300);
    console.log(
      `agent CPU under churn: ${busy.toFixed(1)} % of one core over 15 s (${calm.toFixed(1)} % before it; the churn costs ${(busy - calm).toFixed(1)} %, target <= 25 %)`,
    );
  } finally {
    churn.stop();
    await agent.stop();
  }
}

export async function streamBench() {
  const world = new BenchWorld();
  const server = await startServerProcess({ env: { NSATLAS_LOCAL_AGENT_ARGS: "--interval 1s" } });
  try {
    await until(async () => (await server.get(`/api/v1/hosts/${machineId}/inventory`)) !== null, 30_000);
    await latency(server, 50, world.prefix);

    // Hub restart: how long until the hub's view has a stack made while it was down.
    const port = new URL(server.url).port;
    await server.stop({ keepData: true });
    execFileSync("ip", ["netns", "add", `${world.prefix}-rs`]);
    world.stacks.push(`${world.prefix}-rs`);
    const restarted = await startServerProcess({
      port: Number(port),
      dataDir: server.dataDir,
      env: { NSATLAS_LOCAL_AGENT_ARGS: "--interval 1s" },
    });
    const converged = await until(async () => {
      const inv = await restarted.get(`/api/v1/hosts/${machineId}/inventory`);
      return inv?.namespaces.some((n) => n.names.includes(`${world.prefix}-rs`));
    }, 60_000);
    console.log(
      `hub restart -> converged view: ${converged === null ? "not within 60 s" : fmt(converged)} after the new server listened (target <= 5 s)`,
    );

    // A world of >= 3,000 processes with varied command lines.
    world.addStacks(20);
    await world.startMany(3000, (i) => [
      "nsenter",
      `--net=/run/netns/${world.stacks[i % world.stacks.length]}`,
      "sleep",
      `${30000 + i}.${i % 97}`,
    ]);
    await wireSize(world.prefix);

    // Agent CPU: a server without a local agent, and one agent with its own token.
    await restarted.stop();
    const cpuServer = await startServerProcess({ env: { NSATLAS_LOCAL_AGENT: "0" } });
    cpuServer.tokenFile = `${cpuServer.dataDir}/bench-cpu.token`;
    const secret = execFileSync(NSATLAS, ["token", "create", "--role", "agent", "--name", "bench-cpu"], {
      env: { ...process.env, NSATLAS_DATA_DIR: cpuServer.dataDir },
    });
    writeFileSync(cpuServer.tokenFile, secret, { mode: 0o600 });
    const steady = await agentCpu(cpuServer, "30s", 60);
    console.log(
      `agent CPU with 3,000+ processes, --interval 1s --full-every 30s: ${steady.toFixed(2)} % of one core over 60 s (target <= 3 %)`,
    );
    const busy = await agentCpu(cpuServer, "1s", 15);
    console.log(
      `agent CPU with --interval 1s --full-every 1s (comparison): ${busy.toFixed(1)} % of one core over 15 s`,
    );
    // Churn on the host itself (the 3,000 processes gone), then the container world at rest.
    await world.destroy();
    await churnFigures(cpuServer, world.prefix);
    await startContainerWorld(world, 500);
    const rest = await agentCpu(cpuServer, "30s", 60);
    console.log(
      `agent CPU at rest on the container world (500 sandboxes), --interval 1s --full-every 30s: ${rest.toFixed(2)} % of one core over 60 s (target <= 1 %)`,
    );
    await cpuServer.stop();
  } finally {
    await world.destroy();
    await server.stop();
  }
}
