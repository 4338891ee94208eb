// `npm run bench:fleet -- --replicas 3 [--per-replica 50] [--window S]`: dashboard replicas
// sharing the fleet through a nats-server of our own (free port, temporary store), synthetic
// agents spread over them (each dials its replica first, the others next), 1,000 processes
// each, 1 Hz churn. Prints per-replica CPU and RSS, the machine's CPU, delta fan-out latency
// (agent frame → the change visible on another replica, over the live stream), cross-replica
// search latency, and the convergence after one replica is killed -9; then one standalone
// dashboard with one replica's share of agents, for the CPU comparison.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { startNatsServer } from "@nsatlas/test-world";
import WebSocket from "ws";
import { percentile } from "./measure.mjs";
import { BENCH_ADMIN_TOKEN, startServerProcess } from "./server-process.mjs";
import { SyntheticAgent } from "./synthetic-agent.mjs";

const LOAD = fileURLToPath(new URL("./fleet-load.mjs", import.meta.url));
const FLEET_TOKEN = "bench-fleet-token-0123456789abcdef";
const TICKS = 100;
const GIB = 1024 ** 3;
const PROBES = 6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]);
}

const rss = (pid) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

/** Busy and total jiffies of the whole machine (/proc/stat), for its CPU in cores. */
function machine() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
const machineCores = (m0, m1) => ((m1.busy - m0.busy) / (m1.total - m0.total)) * cpus().length;

async function metric(url, name, labels = "") {
  try {
    const r = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } });
    const line = (await r.text()).split("\n").find((l) => l.startsWith(`${name}${labels} `));
    return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
  } catch {
    return -1;
  }
}
const connected = (url) => metric(url, "nsatlas_agents", '{state="connected"}');
const staleFlips = (url) => metric(url, "nsatlas_agent_state_changes_total", '{state="stale"}');

async function hostsOf(url) {
  const r = await fetch(`${url}/api/v1/hosts`, { headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } });
  return (await r.json()).hosts;
}

/** The live stream (tRPC subscription `live.events`) of a replica: calls onEvent(e, at). With
 * `hostIds` it follows those hosts' changes (`changes`/`snapshot` events), else every host's
 * summary (`summary` events, a host's state among them). */
function liveStream(url, onEvent, hostIds) {
  const ws = new WebSocket(`${url.replace("http", "ws")}/api/trpc-ws`, {
    headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
  });
  const params = { path: "live.events", ...(hostIds ? { input: { hostIds } } : {}) };
  ws.on("open", () => ws.send(JSON.stringify({ id: 1, method: "subscription", params })));
  ws.on("message", (d) => {
    const at = Date.now();
    const text = d.toString();
    if (text === "PING" || text === "PONG") return;
    const data = JSON.parse(text)?.result?.data;
    const e = data?.data ?? data;
    if (e?.hostId) onEvent(e, at);
  });
  return { opened: new Promise((r) => ws.once("open", r)), close: () => ws.close() };
}

function agentIndexOn(replica, per, k) {
  return replica * per + k;
}
const addressOf = (i) => `198.18.${(i >> 8) & 255}.${i & 255}`;

export async function fleetReplicasBench({ replicas, per, windowS, inventoryFile, standalone, prof }) {
  const nats = await startNatsServer();
  const servers = [];
  const loads = [];
  const probes = [];
  try {
    const env = { NSATLAS_LOCAL_AGENT: "0", NSATLAS_AGENT_TOKEN: FLEET_TOKEN, NSATLAS_NATS_URL: nats.url };
    for (let r = 0; r < replicas; r++) {
      // --cpu-prof DIR profiles replica 0 (and the standalone run).
      const nodeArgs = prof && r === 0 ? ["--cpu-prof", "--cpu-prof-dir", prof] : [];
      servers.push(await startServerProcess({ env, nodeArgs }));
    }
    const urls = servers.map((s) => `${s.url.replace("http", "ws")}/agent`);
    const total = replicas * per;
    const rampMs = Math.max(5_000, per * 40);
    for (let r = 0; r < replicas; r++) {
      const order = [...urls.slice(r), ...urls.slice(0, r)].join(",");
      const load = spawn(
        process.execPath,
        [
          "--max-old-space-size=8192",
          LOAD,
          order,
          FLEET_TOKEN,
          String(per),
          inventoryFile,
          String(rampMs),
          String(r * per),
        ],
        { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NSATLAS_TEST_RUN: "bench" } },
      );
      load.stdout.resume();
      loads.push(load);
    }
    const until = Date.now() + rampMs + 180_000;
    const all = async () => (await Promise.all(servers.map((s) => connected(s.url)))).every((n) => n >= total);
    while (!(await all()) && Date.now() < until) await sleep(500);
    const counts = await Promise.all(servers.map((s) => connected(s.url)));
    console.log(
      `replicas ${replicas}, agents ${total} (${per} per replica); connected as seen by each replica: ${counts.join(", ")}`,
    );
    await sleep(5_000);

    // Fan-out probes: agents on replica 1 (or 0 with one replica), watched on the others.
    const recorded = JSON.parse(readFileSync(inventoryFile, "utf8"));
    const sent = new Map();
    const latencies = [];
    let unpaired = 0;
    const home = replicas > 1 ? 1 : 0;
    const watchers = servers
      .filter((_, r) => r !== home)
      .map((s) =>
        liveStream(
          s.url,
          (e, at) => {
            if (e.kind !== "changes" || !sent.has(e.hostId)) return;
            const queue = sent.get(e.hostId).get(s.url);
            // Events pair with frames in order; a backlog means the stream dropped events (a slow
            // subscriber): pair with the newest frames instead of drifting.
            if (queue.length > 3) {
              unpaired += queue.length - 1;
              queue.splice(0, queue.length - 1);
            }
            const t = queue.shift();
            if (t !== undefined) latencies.push(at - t);
          },
          Array.from({ length: PROBES }, (_, k) => `synthetic-probe-${k}`),
        ),
      );
    await Promise.all(watchers.map((w) => w.opened));
    await sleep(500);
    for (let k = 0; k < PROBES; k++) {
      const id = `synthetic-probe-${k}`;
      sent.set(id, new Map(servers.filter((_, r) => r !== home).map((s) => [s.url, []])));
      const agent = new SyntheticAgent({
        url: urls[home],
        token: FLEET_TOKEN,
        id,
        base: recorded,
        churnEveryMs: 1_000,
        onEvent: () => {},
        onSent: (_kind, at) => {
          for (const q of sent.get(id).values()) q.push(at);
        },
      });
      probes.push(agent);
      agent.start();
    }
    await sleep(3_000);
    unpaired = 0;
    latencies.length = 0; // the probes' snapshots (and ramp) are not the steady state

    const flips0 = await Promise.all(servers.map((s) => staleFlips(s.url)));
    const busBytes = (name) => Promise.all(servers.map((s) => metric(s.url, name)));
    const out0 = await busBytes("nsatlas_bus_bytes_out_total");
    const in0 = await busBytes("nsatlas_bus_bytes_in_total");
    const t0 = servers.map((s) => cpuTicks(s.child.pid));
    const m0 = machine();
    const w0 = performance.now();
    const searches = [];
    await Promise.all(
      servers.map(async (s, r) => {
        let i = 0;
        while (performance.now() - w0 < windowS * 1000) {
          // An address only an agent of another replica has.
          const other = (r + 1 + (i % Math.max(1, replicas - 1))) % replicas;
          const q = addressOf(agentIndexOn(other, per, i % per));
          i += 1;
          const start = performance.now();
          const reply = await fetch(`${s.url}/api/v1/search?q=${q}`, {
            headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
          });
          const body = await reply.json();
          searches.push({
            ms: performance.now() - start,
            found: (body.matches ?? []).some((m) => m.kind === "address"),
          });
          await sleep(250);
        }
      }),
    );
    const wall = (performance.now() - w0) / 1000;
    const m1 = machine();
    const cores = servers.map((s, r) => (cpuTicks(s.child.pid) - t0[r]) / TICKS / wall);
    const mem = servers.map((s) => rss(s.child.pid));
    const flips1 = await Promise.all(servers.map((s) => staleFlips(s.url)));
    const out1 = await busBytes("nsatlas_bus_bytes_out_total");
    const in1 = await busBytes("nsatlas_bus_bytes_in_total");
    const busy = machineCores(m0, m1);
    const fanout = [...latencies];
    for (const w of watchers) w.close();
    const cpuBound = busy > 1.8 ? "  CPU-BOUND (machine above 1.8 cores)" : "";
    console.log(
      `steady window ${wall.toFixed(0)} s; machine CPU ${busy.toFixed(2)} of ${cpus().length} cores${cpuBound}`,
    );
    console.log("replica | CPU (cores) | RSS      | NATS out / in (KB/s) | stale flips in window");
    for (let r = 0; r < servers.length; r++) {
      const row = `${String(r).padStart(7)} | ${cores[r].toFixed(2).padStart(11)} | ${(mem[r] / GIB).toFixed(2)} GiB`;
      const kbs = (a, b) => ((b[r] - a[r]) / 1024 / wall).toFixed(0);
      console.log(`${row} | ${kbs(out0, out1).padStart(9)} / ${kbs(in0, in1).padEnd(9)} | ${flips1[r] - flips0[r]}`);
    }
    const found = searches.filter((s) => s.found).length;
    console.log(
      `delta fan-out (agent frame on replica ${home} -> live event on another), ${fanout.length} samples (${unpaired} frames without an event): p50 ${percentile(fanout, 50)?.toFixed(0)} ms, p95 ${percentile(fanout, 95)?.toFixed(0)} ms`,
    );
    console.log(
      `cross-replica search (an address only another replica's agent has), ${searches.length} searches, ${found} found: p50 ${percentile(
        searches.map((s) => s.ms),
        50,
      ).toFixed(0)} ms, p95 ${percentile(
        searches.map((s) => s.ms),
        95,
      ).toFixed(0)} ms`,
    );
    for (const p of probes) p.stop();

    // Kill -9 the last replica: its agents dial the next replica in their list.
    const killed = servers.length - 1;
    let convergeMs = null;
    let flipsAfter = [];
    if (replicas > 1) {
      const victims = new Set(
        Array.from({ length: per }, (_, k) => `synthetic-${String(agentIndexOn(killed, per, k)).padStart(4, "0")}`),
      );
      const survivors = servers.slice(0, killed);
      await sleep(3_000); // the probes' own disconnects (stopped above) are not the kill's
      // Each victim's stale flips, as every survivor's live stream announces them.
      const staleOf = new Map();
      const lastState = new Map();
      const streams = survivors.map((s) =>
        liveStream(s.url, (e) => {
          if (e.kind !== "summary" || !victims.has(e.hostId)) return;
          // A summary carries the host's state: a change of it is one state change.
          const key = `${s.url} ${e.hostId}`;
          const was = lastState.get(key);
          lastState.set(key, e.summary.state);
          if (was !== undefined && was !== e.summary.state) staleOf.set(key, (staleOf.get(key) ?? 0) + 1);
        }),
      );
      await Promise.all(streams.map((w) => w.opened));
      const before = await Promise.all(survivors.map((s) => staleFlips(s.url)));
      const k0 = performance.now();
      servers[killed].child.kill("SIGKILL");
      const deadline = k0 + 60_000;
      while (performance.now() < deadline) {
        const lists = await Promise.all(survivors.map((s) => hostsOf(s.url)));
        const here = await Promise.all(survivors.map((s) => metric(s.url, "nsatlas_agents_here")));
        // Converged: the survivors hold every agent between them, and each lists exactly the
        // fleet (no phantom, none lost), all connected.
        const ok =
          here.reduce((a, b) => a + b, 0) === total &&
          lists.every((hosts) => {
            const ours = hosts.filter((h) => /^synthetic-\d+$/.test(h.id));
            return ours.length === total && ours.every((h) => h.state === "connected");
          });
        if (ok) {
          convergeMs = performance.now() - k0;
          break;
        }
        await sleep(100);
      }
      await sleep(16_000); // past STALE_AFTER_MS: a late stale flip would show now
      for (const w of streams) w.close();
      const after = await Promise.all(survivors.map((s) => staleFlips(s.url)));
      flipsAfter = after.map((n, r) => n - before[r]);
      const changes = Math.max(0, ...staleOf.values());
      console.log(
        `kill -9 of replica ${killed} (${victims.size} agents): the survivors hold all ${total} agents and each lists them all connected (no phantom, none lost) after ${convergeMs === null ? "NEVER (60 s)" : `${(convergeMs / 1000).toFixed(1)} s`}; stale flips per survivor in the 16 s after: ${flipsAfter.join(", ")}; state changes of a victim host on a survivor at most ${changes} (stale and back is 2)`,
      );
    }
    const result = {
      cores,
      mem,
      busy,
      fanout,
      searches,
      convergeMs,
      flipsAfter,
      flips: flips1.map((n, r) => n - flips0[r]),
    };
    if (standalone) {
      const alone = await standalone(per);
      const worst = Math.max(...cores);
      console.log(
        `standalone dashboard with ${per} agents: ${alone.hubCores.toFixed(2)} cores, ${(alone.rss / GIB).toFixed(2)} GiB; busiest replica ${worst.toFixed(2)} cores = ${(worst / alone.hubCores).toFixed(2)}x (target <= 1.2x); the cache of the other ${total - per} hosts: ~${Math.max(0, worst - alone.hubCores).toFixed(2)} cores, ~${((Math.max(...mem) - alone.rss) / GIB).toFixed(2)} GiB`,
      );
    }
    const ok = (b) => (b ? "ok" : "MISSED");
    console.log(
      `targets: fan-out p95 ${percentile(fanout, 95)?.toFixed(0)} <= 500 ms ${ok(percentile(fanout, 95) <= 500)}; search p95 ${percentile(
        searches.map((s) => s.ms),
        95,
      ).toFixed(0)} <= 300 ms ${ok(
        percentile(
          searches.map((s) => s.ms),
          95,
        ) <= 300,
      )}; no stale flip in the window ${ok(result.flips.every((n) => n === 0))}; after the kill connected in ${convergeMs === null ? "never" : `${(convergeMs / 1000).toFixed(1)} s`} <= 10 s ${ok(convergeMs !== null && convergeMs <= 10_000)}, stale flips <= ${per} per survivor ${ok(flipsAfter.every((n) => n <= per))}`,
    );
    return result;
  } finally {
    for (const p of probes) p.stop();
    for (const l of loads) {
      if (l.exitCode === null) {
        l.kill("SIGTERM");
        await new Promise((r) => l.once("exit", r));
      }
    }
    for (const s of servers) await s.stop();
    await nats.stop();
  }
}
