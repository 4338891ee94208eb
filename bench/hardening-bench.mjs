// `npm run bench -- hardening` (this part): how fast a revocation reaches an open websocket,
// and whether /healthz stays quick while two agents flood the hub with deltas.
import { join } from "node:path";
import { openDatabase, TokenStore } from "@nsatlas/hub";
import { initialStackInventory, sampleProcess } from "@nsatlas/test-world";
import WebSocket from "ws";
import { percentile } from "./measure.mjs";
import { startServerProcess } from "./server-process.mjs";

const REVOCATIONS = 20;
const FLOOD_MS = 5_000;

const ms = (v) => `${v.toFixed(1)} ms`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));

function open(url, secret) {
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${secret}` } });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** Revokes an operator token through the database (what `nsatlas token revoke` does) and
 * times until its open tRPC websocket sees the close. */
async function revocationLatency(server) {
  const db = openDatabase(join(server.dataDir, "nsatlas.db"));
  const tokens = new TokenStore(db);
  const wsUrl = `${server.url.replace("http", "ws")}/api/trpc-ws`;
  const latencies = [];
  const codes = new Set();
  try {
    for (let i = 0; i < REVOCATIONS; i++) {
      const name = `bench-revoke-${i}`;
      const ws = await open(wsUrl, tokens.create(name, "operator"));
      await sleep(30);
      const closed = new Promise((resolve) => ws.once("close", (code) => resolve(code)));
      const start = performance.now();
      tokens.revoke(name);
      codes.add(await closed);
      latencies.push(performance.now() - start);
    }
  } finally {
    db.close();
  }
  console.log(
    `revocation -> socket close (token CLI path, ${REVOCATIONS}x): p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(Math.max(...latencies))} (target <= 50 ms; close codes ${[...codes].join(",")})`,
  );
}

/** One agent sending deltas flat out (as fast as its socket drains), for FLOOD_MS. */
async function floodingAgent(server, secret, id, until) {
  const ws = await open(`${server.url.replace("http", "ws")}/agent`, secret);
  const send = (f) => ws.send(JSON.stringify(f));
  const answers = { ack: 0, resync: 0 };
  ws.on("message", (m) => {
    const t = JSON.parse(m.toString()).type;
    if (t in answers) answers[t] += 1;
  });
  send({
    type: "hello",
    protocol: 1,
    agentId: id,
    hostname: id,
    bootId: "b",
    version: "0",
    readOnly: true,
    capabilities: [],
  });
  send({
    type: "snapshot",
    epoch: "e1",
    seq: 1,
    inventory: initialStackInventory(3000, { hostname: "flood", bootId: "boot" }),
  });
  let seq = 1;
  let sent = 0;
  let nextPid = 3001;
  while (performance.now() < until && ws.readyState === ws.OPEN) {
    if (ws.bufferedAmount > 4 * 1024 * 1024) {
      await sleep(1);
      continue;
    }
    // A busy host: on every delta 10 processes exit and 10 new ones start.
    const remove = Array.from({ length: 10 }, (_, k) => nextPid - 3000 + k);
    const upsert = Array.from({ length: 10 }, (_, k) => sampleProcess(nextPid + k));
    nextPid += 10;
    send({ type: "delta", epoch: "e1", seq: seq + 1, baseSeq: seq, changes: { processes: { upsert, remove } } });
    seq += 1;
    sent += 1;
    if (sent % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  await sleep(100);
  ws.close();
  return `${sent} (${answers.ack} acked, ${answers.resync} resyncs)`;
}

async function healthzUnderFlood(server) {
  const db = openDatabase(join(server.dataDir, "nsatlas.db"));
  const tokens = new TokenStore(db);
  const secrets = ["flood-a", "flood-b"].map((id) => [id, tokens.create(id, "agent")]);
  db.close();
  const until = performance.now() + FLOOD_MS;
  const agents = secrets.map(([id, secret]) => floodingAgent(server, secret, id, until));
  const latencies = [];
  await sleep(200);
  while (performance.now() < until - 100) {
    const start = performance.now();
    const r = await fetch(`${server.url}/healthz`);
    await r.arrayBuffer();
    latencies.push(performance.now() - start);
    await sleep(10);
  }
  const sent = await Promise.all(agents);
  console.log(
    `/healthz under a two-agent delta flood (${FLOOD_MS / 1000} s, ${sent.join(" + ")} deltas sent): p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, ${latencies.length} probes (target p95 <= 50 ms)`,
  );
}

export async function hardeningBench() {
  const server = await startServerProcess({ env: { NSATLAS_LOCAL_AGENT: "0" } });
  try {
    await revocationLatency(server);
    await healthzUnderFlood(server);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await hardeningBench();
