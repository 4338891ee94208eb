import { getEventListeners } from "node:events";
import type { AuditEvent, Inventory } from "@nsatlas/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { connectForgedAgent } from "./testing/forged-agent.js";
import { minimalInventory } from "./testing/minimal-inventory.js";
import { RawTrpcSocket, rawHttp, rawUpgrade } from "./testing/raw-http.js";
import { eventually, restClient } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// A client without credentials cannot exhaust the server: its refusals are aggregated in the
// audit log, its failed logins are rate-limited. Raw HTTP only.

let server: RunningServer & { dataDir: string };
const login = (token: string, forwardedFor?: string) => {
  const body = JSON.stringify({ token });
  return rawHttp(
    server.port,
    [
      "POST /api/v1/session HTTP/1.1",
      "Host: 127.0.0.1",
      "Content-Type: application/json",
      `Content-Length: ${body.length}`,
      ...(forwardedFor ? [`X-Forwarded-For: ${forwardedFor}`] : []),
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
  );
};
const auditRows = async (action: string) => {
  server.flushRefusals();
  const r = await restClient(server.url)<{ events: AuditEvent[] }>("GET", "/api/v1/audit?limit=1000", TEST_ADMIN_TOKEN);
  return r.body.events.filter((e) => e.action === action);
};

beforeAll(async () => {
  // The test's own address stands for a proxy: X-Forwarded-For then names the source.
  server = await startTestServer({ trustedProxies: ["127.0.0.1"] });
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

describe("failed logins", () => {
  it("after 10 failed logins from a source within a minute, the next is 429 RATE_LIMITED with Retry-After", async () => {
    const source = "198.51.100.7";
    for (let i = 0; i < 10; i++) expect((await login("wrong", source))?.status).toBe(401);
    const limited = await login("wrong", source);
    expect(limited?.status).toBe(429);
    expect(JSON.parse(limited?.body ?? "{}").error.code).toBe("RATE_LIMITED");
    expect(Number(limited?.headers["retry-after"])).toBeGreaterThan(0);
    // Even the right token waits: the limit is on the source, not the guess.
    expect((await login(TEST_ADMIN_TOKEN, source))?.status).toBe(429);
    // Another source is not limited.
    expect((await login(TEST_ADMIN_TOKEN, "198.51.100.8"))?.status).toBe(204);
  });

  it("are one audit row per source and reason per minute, the number in params.count", async () => {
    const source = "198.51.100.9";
    for (let i = 0; i < 12; i++) await login("wrong", source);
    const rows = (await auditRows("session.login")).filter((e) => e.sourceIp === source);
    expect(rows.map((e) => [e.error?.split(":")[0], (e.params as { count: number }).count])).toEqual([
      ["UNAUTHORIZED", 10],
      ["RATE_LIMITED", 2],
    ]);
  });
});

describe("refused /agent upgrades", () => {
  it("without a valid token are aggregated into one row with params.count", async () => {
    const before = (await auditRows("agent.refused")).length;
    for (let i = 0; i < 25; i++) {
      const r = await rawUpgrade(server.port, "/agent", ["Authorization: Bearer not-a-token"]);
      expect(r?.status).toBe(401);
    }
    const rows = (await auditRows("agent.refused")).slice(before);
    expect(rows.map((e) => (e.params as { count: number }).count)).toEqual([25]);
  });
});

describe("tRPC websocket output", () => {
  const bigInventory = (): Inventory => {
    const inv = minimalInventory();
    const p = inv.processes[0] as Inventory["processes"][number];
    inv.processes = Array.from({ length: 4000 }, (_, i) => ({ ...p, pid: i + 1, cmdline: ["x".repeat(500)] }));
    return inv;
  };

  it("a client that stops reading while asking for large inventories is closed with 1013", async () => {
    const id = "limits-big";
    await connectForgedAgent(server.url, await server.tokens.create(id, "agent"), id, bigInventory());
    const s = new RawTrpcSocket(`${server.url.replace("http", "ws")}/api/trpc-ws`, {
      Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
    });
    await s.opened;
    s.ws.pause();
    for (let i = 0; i < 30; i++) void s.call("query", "hosts.inventory", { id });
    await new Promise((r) => setTimeout(r, 500));
    s.ws.resume();
    expect((await s.closed).code).toBe(1013);
  });

  it("live.events keeps one abort listener per subscription, however many events it delivers", async () => {
    // The server runs in this process: the signals it listens on are seen here, and Node
    // says how many abort listeners each holds.
    const signals = new Set<EventTarget>();
    const add = AbortSignal.prototype.addEventListener;
    AbortSignal.prototype.addEventListener = function (this: AbortSignal, ...args: Parameters<typeof add>) {
      if (args[0] === "abort") signals.add(this);
      return add.apply(this, args);
    };
    try {
      const id = "limits-events";
      const agent = await connectForgedAgent(
        server.url,
        await server.tokens.create(id, "agent"),
        id,
        minimalInventory(),
      );
      const s = new RawTrpcSocket(`${server.url.replace("http", "ws")}/api/trpc-ws`, {
        Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
      });
      await s.opened;
      let delivered = 0;
      s.ws.on("message", (m) => {
        if (m.toString().includes(`"hostId":"${id}"`)) delivered += 1;
      });
      s.ws.send(JSON.stringify({ id: 99, method: "subscription", params: { path: "live.events", input: undefined } }));
      for (let i = 0; i < 40; i++) {
        await agent.delta({});
        // Each event is delivered before the next delta: every one is a separate wait.
        await eventually(() => delivered > i, 2_000);
      }
      expect(delivered).toBeGreaterThanOrEqual(40);
      const most = Math.max(0, ...[...signals].map((t) => getEventListeners(t, "abort").length));
      expect(most).toBeLessThan(10);
    } finally {
      AbortSignal.prototype.addEventListener = add;
    }
  });
});
