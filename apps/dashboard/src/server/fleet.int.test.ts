import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HostsResponse, Inventory, SearchResponse } from "@nsatlas/protocol";
import { SimulatedHost, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// A simulated fleet of three hosts — each an agent as pid 1 of its own pid, mount and UTS
// namespaces with its own /proc and netns dir — streaming to one real server (no local agent).
// Waits are generous timeouts, not benchmarks.
const world = new World();
const hosts: SimulatedHost[] = [];
let server: RunningServer & { dataDir: string };
// 192.0.2.0/24 is TEST-NET-1 (RFC 5737): on loopbacks of private stacks, never routed.
const SHARED_ADDRESS = "192.0.2.77";

async function get<T>(path: string, token = TEST_ADMIN_TOKEN): Promise<{ status: number; body: T | null }> {
  const r = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await r.text();
  return { status: r.status, body: r.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as T) : null };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const inventoryOf = async (id: string) => (await get<Inventory>(`/api/v1/hosts/${id}/inventory`)).body;

beforeAll(async () => {
  server = await startTestServer();
  const dir = world.tmpDir();
  const roles = ["web", "web", "db"];
  for (const [i, role] of roles.entries()) {
    const agentId = `${world.prefix}-sim${i}`;
    const tokenFile = join(dir, `${agentId}.token`);
    writeFileSync(tokenFile, await server.tokens.create(agentId, "agent"));
    const host = await SimulatedHost.start({
      hubUrl: `${server.url.replace("http", "ws")}/agent`,
      tokenFile,
      agentId,
      hostname: `${world.prefix}-host${i}`,
      labels: { role, rack: `r${i}` },
      agentArgs: ["--interval", "200ms", "--backoff-base", "100ms"],
      baseDir: dir,
      env: { NSATLAS_TEST_RUN: world.prefix },
    });
    world.defer(() => host.kill());
    hosts.push(host);
  }
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await world.cleanup();
  await server?.close();
  if (server) removeDataDir(server.dataDir);
});

describe("a simulated fleet of three hosts", () => {
  it("lists three connected hosts with their own hostnames and labels, and filters by label", async () => {
    const listed = async () => (await get<HostsResponse>("/api/v1/hosts")).body?.hosts ?? [];
    expect(await eventually(async () => (await listed()).filter((h) => h.state === "connected").length === 3)).toBe(
      true,
    );
    const all = await listed();
    expect(all.map((h) => h.hostname).sort()).toEqual(hosts.map((h) => h.hostname).sort());
    for (const h of all) {
      expect(h.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(h.kernel).toMatch(/^\d+\.\d+/);
      expect(h.credential).toBe("agent-token");
      expect(h.counts.processes).toBeGreaterThanOrEqual(1);
      expect(h.lagMs).not.toBeNull();
    }
    const web = (await get<HostsResponse>("/api/v1/hosts?label=role=web")).body?.hosts ?? [];
    expect(web.map((h) => h.id).sort()).toEqual([hosts[0]?.agentId, hosts[1]?.agentId].sort());
    const both = await get<HostsResponse>("/api/v1/hosts?label=role=web&label=rack=r1");
    expect(both.body?.hosts.map((h) => h.id)).toEqual([hosts[1]?.agentId]);
    expect((await get("/api/v1/hosts?label==x")).status).toBe(400);
  });

  it("sees only each host's own processes: its agent is pid 1 of its own /proc", async () => {
    const [a] = hosts;
    if (!a) throw new Error("no host");
    expect(
      await eventually(async () => (await inventoryOf(a.agentId))?.processes.some((p) => p.pid === 1) ?? false),
    ).toBe(true);
    const inv = await inventoryOf(a.agentId);
    expect(inv?.host.hostname).toBe(a.hostname);
    // Its pid 1 is that host's agent: told by its command line (the comm of a Node process is
    // "node" before Node 24 and "MainThread" since, so it says nothing about which program runs).
    const init = inv?.processes.find((p) => p.pid === 1);
    expect(init?.cmdline).toEqual(expect.arrayContaining(["run", "--agent-id", a.agentId]));
    expect(init?.cmdline.some((arg) => arg.endsWith("sim-host-entry.js"))).toBe(true);
  });

  it("shows a stack made in one host's netns dir under that host only, with its name", async () => {
    const [a, b] = hosts;
    if (!a || !b) throw new Error("no hosts");
    a.addStack("blue", { address: `${SHARED_ADDRESS}/24` });
    const named = (inv: Inventory | null, name: string) => inv?.namespaces.some((n) => n.names.includes(name)) ?? false;
    expect(await eventually(async () => named(await inventoryOf(a.agentId), "blue"))).toBe(true);
    expect(named(await inventoryOf(b.agentId), "blue")).toBe(false);
    const inv = await inventoryOf(a.agentId);
    const ns = inv?.namespaces.find((n) => n.names.includes("blue"));
    const stack = inv?.netstacks?.find((s) => s.ns === ns?.id);
    expect(stack?.links.find((l) => l.name === "lo")?.addresses.map((x) => x.address)).toContain(SHARED_ADDRESS);
  });

  it("finds an address present on two hosts on both, flagged as shared", async () => {
    const [a, b] = hosts;
    if (!a || !b) throw new Error("no hosts");
    b.addStack("green", { address: `${SHARED_ADDRESS}/24` });
    const search = async () =>
      (await get<SearchResponse>(`/api/v1/search?q=${SHARED_ADDRESS}`)).body?.matches.filter(
        (m) => m.kind === "address",
      ) ?? [];
    expect(await eventually(async () => (await search()).length === 2)).toBe(true);
    const matches = await search();
    expect(matches.map((m) => [m.hostId, m.stack?.name]).sort()).toEqual(
      [
        [a.agentId, "blue"],
        [b.agentId, "green"],
      ].sort(),
    );
    expect(matches.find((m) => m.hostId === a.agentId)?.alsoOn).toEqual([b.agentId]);
    expect((await get("/api/v1/search")).status).toBe(400);
  });

  it("keeps a stopped host listed as stale with its last inventory until an admin removes it", async () => {
    const c = hosts[2];
    if (!c) throw new Error("no host");
    await c.stop();
    const state = async () => (await get<HostsResponse>("/api/v1/hosts")).body?.hosts.find((h) => h.id === c.agentId);
    expect(await eventually(async () => (await state())?.state === "stale")).toBe(true);
    expect((await inventoryOf(c.agentId))?.host.hostname).toBe(c.hostname);

    const auditor = await server.tokens.create(`${world.prefix}-auditor`, "auditor");
    const del = (token: string) =>
      fetch(`${server.url}/api/v1/hosts/${c.agentId}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${token}` },
      });
    expect((await del(auditor)).status).toBe(403);
    expect((await del(TEST_ADMIN_TOKEN)).status).toBe(204);
    expect(await state()).toBeUndefined();
    expect((await del(TEST_ADMIN_TOKEN)).status).toBe(404);
    expect(server.fleet.host(c.agentId)).toBeUndefined();
  });
});
