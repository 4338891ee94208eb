import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  loadOrCreateAuditKey,
  loadOrCreateSigningKey,
  openPgDatabase,
  type PgDatabase,
  PgTokenStore,
} from "@nsatlas/hub";
import type { ConfirmResponse, HostsResponse, Inventory, PlanResponse, SearchResponse } from "@nsatlas/protocol";
import {
  type NatsServer,
  SimulatedHost,
  sampleInventory,
  sampleProcess,
  startNatsServer,
  startPostgres,
  type TestPostgres,
  World,
} from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectForgedAgent } from "./testing/forged-agent.js";
import { type ReplicaProcess, startReplicaProcess } from "./testing/replica-process.js";
import { eventually, restClient } from "./testing/rest-client.js";
import { TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// Three dashboard replicas (each its own process, so one can be killed -9) sharing the fleet
// through a nats-server of our own and their credentials through a PostgreSQL of our own: an
// agent token made once is good on every replica. The NATS server refuses messages over
// 128 KiB, so a big snapshot must be chunked. Waits are generous timeouts, not benchmarks.
const world = new World();
const FLEET_TOKEN = `${world.prefix}-fleet-token-0123456789abcdef`;
// 192.0.2.0/24 is TEST-NET-1 (RFC 5737): on loopbacks of private stacks, never routed.
const ONLY_ON_B = "192.0.2.91";
const AGENT_BIN = join(
  dirname(createRequire(import.meta.url).resolve("@nsatlas/agent/package.json")),
  "bin",
  "nsatlas-agent",
);
let nats: NatsServer;
let postgres: TestPostgres;
let pgdb: PgDatabase;
let tokens: PgTokenStore;
let env: Record<string, string>;
const CLI = join(import.meta.dirname, "../../bin/nsatlas");
let a: ReplicaProcess;
let b: ReplicaProcess;
let c: ReplicaProcess;
const sims: SimulatedHost[] = [];
const ws = (r: ReplicaProcess) => `${r.url.replace("http", "ws")}/agent`;

const get = async <T>(r: ReplicaProcess, path: string) => restClient(r.url)<T>("GET", path, TEST_ADMIN_TOKEN);
const hostsOn = async (r: ReplicaProcess) => (await get<HostsResponse>(r, "/api/v1/hosts")).body.hosts ?? [];
const ours = (hosts: HostsResponse["hosts"]) => hosts.filter((h) => h.id.startsWith(world.prefix));
const connectedOn = async (r: ReplicaProcess, id: string) =>
  (await hostsOn(r)).find((h) => h.id === id)?.state === "connected";
const inventoryOn = async (r: ReplicaProcess, id: string) => {
  const reply = await get<Inventory>(r, `/api/v1/hosts/${id}/inventory`);
  return reply.status === 200 ? reply.body : null;
};
const stackNamed = (inv: Inventory | null, name: string) =>
  inv?.namespaces.find((n) => n.type === "net" && n.names.includes(name)) ?? null;

beforeAll(async () => {
  nats = await startNatsServer({ maxPayload: 128 * 1024 });
  world.defer(() => nats.stop());
  postgres = await startPostgres();
  world.defer(() => postgres.stop());
  // The audit keys every replica is given (what `nsatlas audit keys DIR` makes).
  const keys = world.tmpDir();
  loadOrCreateAuditKey(join(keys, "audit.key"));
  loadOrCreateSigningKey(join(keys, "audit-signing.key"), join(keys, "audit-signing.pub"), 0);
  env = {
    NSATLAS_DATABASE_URL: postgres.url,
    NSATLAS_AUDIT_KEY_FILE: join(keys, "audit.key"),
    NSATLAS_AUDIT_SIGNING_KEY_FILE: join(keys, "audit-signing.key"),
    NSATLAS_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    NSATLAS_AGENT_TOKEN: FLEET_TOKEN,
    NSATLAS_NATS_URL: nats.url,
    NSATLAS_TEST_RUN: world.prefix,
    NSATLAS_ACTION_TIMEOUT: "10s",
  };
  const started = await Promise.all(["a", "b", "c"].map((n) => startReplicaProcess(n, env)));
  for (const r of started) world.defer(() => r.stop());
  [a, b, c] = started as [ReplicaProcess, ReplicaProcess, ReplicaProcess];
  await Promise.all(
    [a, b, c].map(async (r) =>
      expect(await eventually(async () => (await get(r, "/readyz")).status === 200)).toBe(true),
    ),
  );
  pgdb = await openPgDatabase(postgres.url);
  world.defer(() => pgdb.close());
  tokens = new PgTokenStore(pgdb);
  const dir = world.tmpDir();
  // Two simulated hosts with their own agent tokens (in PostgreSQL) dial B first, then A.
  for (let i = 0; i < 2; i++) {
    const agentId = `${world.prefix}-sim${i}`;
    const tokenFile = join(dir, `${agentId}.token`);
    writeFileSync(tokenFile, await tokens.create(agentId, "agent"));
    const host = await SimulatedHost.start({
      hubUrl: ws(b),
      tokenFile,
      agentId,
      hostname: `${world.prefix}-host${i}`,
      agentArgs: ["--hub", ws(a), "--interval", "200ms", "--backoff-base", "100ms"],
      baseDir: dir,
      env: { NSATLAS_TEST_RUN: world.prefix },
    });
    world.defer(() => host.kill());
    sims.push(host);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(sims.map((h) => h.stop()));
  await world.cleanup();
});

describe("dashboard replicas sharing the fleet through NATS", () => {
  it("lists an agent connected to B on A and C, connected, with its stacks", async () => {
    const [s0] = sims;
    if (!s0) throw new Error("no host");
    s0.addStack("blue", { address: `${ONLY_ON_B}/24` });
    for (const r of [a, c]) {
      expect(await eventually(async () => stackNamed(await inventoryOn(r, s0.agentId), "blue") !== null, 20_000)).toBe(
        true,
      );
      expect(await connectedOn(r, s0.agentId)).toBe(true);
    }
  });

  it("finds on A an address that only B's agent has", async () => {
    const [s0] = sims;
    if (!s0) throw new Error("no host");
    const search = async () =>
      (await get<SearchResponse>(a, `/api/v1/search?q=${ONLY_ON_B}`)).body.matches?.filter(
        (m) => m.kind === "address",
      ) ?? [];
    expect(await eventually(async () => (await search()).length === 1, 20_000)).toBe(true);
    expect((await search()).map((m) => [m.hostId, m.stack?.name])).toEqual([[s0.agentId, "blue"]]);
  });

  it("carries a 3,000-process snapshot (~1.9 MB of JSON) from B to A over a 128 KiB NATS limit", async () => {
    const id = `${world.prefix}-big`;
    const processes = Array.from({ length: 3000 }, (_, i) =>
      sampleProcess(i + 1, {
        comm: `svc-${i % 40}`,
        cmdline: [
          `/usr/lib/${world.prefix}/service-${i}/bin/worker`,
          `--config=/etc/${world.prefix}/service-${i}/config.yaml`,
          `--listen=198.18.${i >> 8}.${i & 255}:${2000 + i}`,
          `--log=/var/log/${world.prefix}/service-${i}/worker.log`,
          `--instance=${i.toString(16).padStart(8, "0")}-${"x".repeat(190)}`,
        ],
      }),
    );
    const inventory = sampleInventory({ host: { hostname: id, scannedAt: new Date().toISOString() }, processes });
    expect(JSON.stringify(inventory).length).toBeGreaterThan(1_800_000);
    const agent = await connectForgedAgent(b.url, FLEET_TOKEN, id, inventory);
    world.defer(() => agent.ws.terminate());
    expect(await eventually(async () => (await inventoryOn(a, id))?.processes.length === 3000, 20_000)).toBe(true);
    await agent.delta({ processes: { remove: [3000] } });
    expect(await eventually(async () => (await inventoryOn(c, id))?.processes.length === 2999, 20_000)).toBe(true);
    agent.ws.close(1000);
    await agent.closed;
    expect((await restClient(a.url)("DELETE", `/api/v1/hosts/${id}`, TEST_ADMIN_TOKEN)).status).toBe(204);
    for (const r of [b, c]) expect(await eventually(async () => (await inventoryOn(r, id)) === null)).toBe(true);
  });

  it("displaces (4409) the session on A when the same agent says hello on C", async () => {
    const id = `${world.prefix}-moving`;
    const inventory = sampleInventory({ host: { hostname: id, scannedAt: new Date().toISOString() } });
    const first = await connectForgedAgent(a.url, FLEET_TOKEN, id, inventory);
    world.defer(() => first.ws.terminate());
    expect(await eventually(async () => connectedOn(c, id), 20_000)).toBe(true);
    const second = await connectForgedAgent(c.url, FLEET_TOKEN, id, inventory);
    world.defer(() => second.ws.terminate());
    expect(await first.closed).toBe(4409);
    expect(await eventually(async () => connectedOn(a, id), 20_000)).toBe(true);
    second.ws.close(1000);
    await second.closed;
    await restClient(c.url)("DELETE", `/api/v1/hosts/${id}`, TEST_ADMIN_TOKEN);
  });

  it("runs netns.create planned and confirmed on A on the agent connected to B; both replicas' audit rows form one chain", async () => {
    const id = `${world.prefix}-real`;
    const tokenFile = join(world.tmpDir(), `${id}.token`);
    writeFileSync(tokenFile, await tokens.create(id, "agent"));
    const agent = spawn(
      process.execPath,
      [AGENT_BIN, "run", "--hub", ws(b), "--token-file", tokenFile, "--agent-id", id, "--interval", "200ms"],
      { stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, NSATLAS_TEST_RUN: world.prefix } },
    );
    world.defer(() => agent.kill("SIGKILL"));
    expect(await eventually(async () => (await inventoryOn(a, id)) !== null, 30_000)).toBe(true);
    const name = world.name("x1");
    world.defer(() => {
      try {
        execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
      } catch {
        // never made, or already removed below
      }
    });
    const call = restClient(a.url);
    const plan = await call<PlanResponse>("POST", `/api/v1/hosts/${id}/actions`, TEST_ADMIN_TOKEN, {
      type: "netns.create",
      params: { name },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const done = await call<ConfirmResponse>("POST", `/api/v1/actions/${plan.body.planId}/confirm`, TEST_ADMIN_TOKEN, {
      confirm: name,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: "succeeded", result: { command: ["ip", "netns", "add", name] } });
    const names = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
    expect(names.split("\n").map((l) => l.split(" ")[0])).toContain(name);
    execFileSync("ip", ["netns", "del", name]);
    // A wrote the action's rows, B the agent's connect: one chain in PostgreSQL, verified.
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], {
        env: { ...process.env, ...env, NSATLAS_DATA_DIR: b.dataDir },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
    const { events } = JSON.parse(cli("audit", "export", "--format", "json")) as {
      events: Array<{ action: string; target: { host?: string | null } }>;
    };
    const mine = events.filter((e) => e.target?.host === id).map((e) => e.action);
    expect(mine).toEqual(expect.arrayContaining(["agent.connect", "netns.create"]));
    expect(cli("audit", "verify")).toMatch(/^audit log intact: \d+ rows/);
    agent.kill("SIGTERM");
    await new Promise((r) => agent.once("exit", r));
    await call("DELETE", `/api/v1/hosts/${id}`, TEST_ADMIN_TOKEN);
  });

  it("after kill -9 of B, its agents reconnect to A (same token, from PostgreSQL) and A and C converge: no phantom, no lost host", async () => {
    const ids = sims.map((s) => s.agentId).sort();
    for (const r of [a, c]) {
      expect(
        await eventually(async () => (await Promise.all(ids.map((id) => connectedOn(r, id)))).every(Boolean)),
      ).toBe(true);
    }
    b.kill9();
    const converged = async (r: ReplicaProcess) => {
      const listed = ours(await hostsOn(r));
      return (
        JSON.stringify(listed.map((h) => h.id).sort()) === JSON.stringify(ids) &&
        listed.every((h) => h.state === "connected" && h.credential === "agent-token")
      );
    };
    // Their agents dialled A (the next --hub): A holds both sockets now, C mirrors A.
    const here = async (r: ReplicaProcess) => {
      const text = (await get<string>(r, "/metrics")).body;
      return Number(/^nsatlas_agents_here (\d+)$/m.exec(String(text))?.[1] ?? -1);
    };
    expect(await eventually(async () => (await here(a)) === ids.length && (await here(c)) === 0, 30_000)).toBe(true);
    expect(await eventually(async () => (await converged(a)) && (await converged(c)), 30_000)).toBe(true);
    const [s1] = sims.slice(1);
    if (!s1) throw new Error("no host");
    s1.addStack("after-kill", {});
    expect(
      await eventually(async () => stackNamed(await inventoryOn(c, s1.agentId), "after-kill") !== null, 20_000),
    ).toBe(true);
  });

  it("recovers when NATS restarts: not ready while it is down, then changes flow again", async () => {
    const [s0] = sims;
    if (!s0) throw new Error("no host");
    await nats.kill();
    expect(await eventually(async () => (await get(a, "/readyz")).status === 503)).toBe(true);
    s0.addStack("during-outage", {});
    await nats.restart();
    for (const r of [a, c])
      expect(await eventually(async () => (await get(r, "/readyz")).status === 200, 20_000)).toBe(true);
    // Missed while NATS was down: the next beat shows C it is behind, and it asks A again.
    expect(
      await eventually(async () => stackNamed(await inventoryOn(c, s0.agentId), "during-outage") !== null, 20_000),
    ).toBe(true);
    expect(await eventually(async () => connectedOn(c, s0.agentId), 20_000)).toBe(true);
  });

  it("revoking a token in PostgreSQL closes its agent's socket on the replica that holds it; every replica shows the host stale", async () => {
    const s1 = sims[1];
    if (!s1) throw new Error("no host");
    await tokens.revoke(s1.agentId);
    // A holds it: its socket closes 4401, which the agent takes as final (it exits 3).
    expect(await eventually(() => s1.log.some((l) => /4401/.test(l)), 20_000)).toBe(true);
    for (const r of [a, c]) {
      expect(await eventually(async () => (await hostsOn(r)).find((h) => h.id === s1.agentId)?.state === "stale")).toBe(
        true,
      );
    }
  });
});
