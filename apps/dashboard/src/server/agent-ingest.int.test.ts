import type { HelloFrame } from "@nsatlas/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { RunningServer } from "./create-server.js";
import { minimalInventory } from "./testing/minimal-inventory.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

let server: RunningServer & { dataDir: string };
let agentToken: string;
let otherAgentToken: string;
const FLEET_TOKEN = "fleet-token-abcdefghijklmnop";

beforeAll(async () => {
  server = await startTestServer({ fleetToken: FLEET_TOKEN });
  agentToken = await server.tokens.create("agent-a", "agent");
  otherAgentToken = await server.tokens.create("agent-b", "agent");
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

const hello = (agentId: string): HelloFrame => ({
  type: "hello",
  protocol: 1,
  agentId,
  hostname: "sim",
  bootId: "boot",
  version: "test",
  readOnly: false,
  capabilities: [],
});

interface Outcome {
  status?: number;
  closeCode?: number;
  messages: unknown[];
}

/** Connects to /agent, sends frames one by one, and reports how the server answered. */
function talk(
  token: string | null,
  frames: Array<string | object>,
  extra: Record<string, string> = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...extra };
    if (token) headers.Authorization = `Bearer ${token}`;
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/agent`, { headers });
    const out: Outcome = { messages: [] };
    ws.on("unexpected-response", (_req, res) => {
      out.status = res.statusCode;
      resolve(out);
    });
    ws.on("open", () => {
      for (const f of frames) ws.send(typeof f === "string" ? f : JSON.stringify(f));
      setTimeout(() => ws.close(1000), 300);
    });
    ws.on("message", (d) => out.messages.push(JSON.parse(d.toString())));
    ws.on("close", (code) => {
      out.closeCode = code;
      resolve(out);
    });
    ws.on("error", () => {});
  });
}

async function healthy(): Promise<boolean> {
  const r = await fetch(`${server.url}/healthz`);
  return r.ok && (await r.json()).ok === true;
}

describe("/agent ingest: credentials", () => {
  it("answers 401 on the upgrade without a token, with a wrong one, or with a non-agent token", async () => {
    expect((await talk(null, [])).status).toBe(401);
    expect((await talk("nope", [])).status).toBe(401);
    expect((await talk(TEST_ADMIN_TOKEN, [])).status).toBe(401);
  });

  it("closes 4403 when an agent token says hello with another agent's id", async () => {
    expect((await talk(otherAgentToken, [hello("agent-a")])).closeCode).toBe(4403);
    expect(server.fleet.host("agent-a")).toBeUndefined();
  });

  it("refuses a foreign Origin with 403", async () => {
    expect((await talk(agentToken, [], { Origin: "http://evil.example" })).status).toBe(403);
  });

  it("accepts the shared fleet token with a self-declared, view-only id", async () => {
    const r = await talk(FLEET_TOKEN, [
      hello("fleet-1"),
      { type: "snapshot", epoch: "e", seq: 1, inventory: minimalInventory() },
    ]);
    expect(r.messages).toEqual([{ type: "ack", epoch: "e", seq: 1 }]);
    expect(server.fleet.host("fleet-1")?.credential).toBe("fleet-token");
  });
});

describe("/agent ingest: bad frames", () => {
  it("closes 4400 on invalid JSON and on a frame that fails the schema; the hub stays up", async () => {
    expect((await talk(agentToken, ["{not json"])).closeCode).toBe(4400);
    expect((await talk(agentToken, [hello("agent-a"), { type: "snapshot", epoch: "e", seq: -1 }])).closeCode).toBe(
      4400,
    );
    expect(await healthy()).toBe(true);
  });

  it("closes 1009 on a frame over 16 MiB; the hub stays up", async () => {
    const big = JSON.stringify({ type: "heartbeat", seq: 0, pad: "x".repeat(16 * 1024 * 1024 + 10) });
    expect((await talk(agentToken, [hello("agent-a"), big])).closeCode).toBe(1009);
    expect(await healthy()).toBe(true);
  });

  it("asks for a resync on a delta of an unknown epoch or with a seq gap, keeping the last good state", async () => {
    const inv = minimalInventory();
    const r = await talk(agentToken, [
      hello("agent-a"),
      { type: "snapshot", epoch: "e1", seq: 1, inventory: inv },
      { type: "delta", epoch: "e1", seq: 3, baseSeq: 2, changes: { warnings: ["gap"] } },
      { type: "delta", epoch: "zz", seq: 2, baseSeq: 1, changes: { warnings: ["epoch"] } },
    ]);
    expect(r.messages.map((m) => (m as { type: string }).type)).toEqual(["ack", "resync", "resync"]);
    expect(server.fleet.host("agent-a")?.inventory?.warnings).toEqual([]);
  });
});

describe("REST", () => {
  const get = (path: string, token: string | null = TEST_ADMIN_TOKEN) =>
    fetch(`${server.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it("needs a bearer token (401 with an error body), 404 for unknown hosts", async () => {
    const r = await get("/api/v1/hosts", null);
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ error: { code: "UNAUTHORIZED", message: expect.any(String) } });
    expect((await get("/api/v1/hosts", "bad")).status).toBe(401);
    expect((await get("/api/v1/hosts/nope/inventory")).status).toBe(404);
  });

  it("lists hosts with state, counts and lastSeen", async () => {
    const body = (await (await get("/api/v1/hosts")).json()) as { hosts: Array<Record<string, unknown>> };
    const fleet1 = body.hosts.find((h) => h.id === "fleet-1");
    expect(fleet1).toMatchObject({ hostname: "sim", state: "stale", connected: false, readOnly: false });
    expect(fleet1?.counts).toEqual({ namespaces: 1, processes: 1, stacks: 1, findings: 0 });
    expect(new Date(String(fleet1?.lastSeen)).toISOString()).toBe(fleet1?.lastSeen);
  });

  it("serves an OpenAPI 3.1 document generated from the schemas", async () => {
    const doc = (await (await get("/api/v1/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/hosts", "/api/v1/hosts/{id}/inventory"]));
  });
});
