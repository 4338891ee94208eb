import type { PlanResponse } from "@nsatlas/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { connectForgedAgent, succeeded } from "./testing/forged-agent.js";
import { minimalInventory } from "./testing/minimal-inventory.js";
import { rawHttp } from "./testing/raw-http.js";
import { restClient } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// What a stranger sends never escapes a listener: malformed input gets 400, a failure of the
// hub's own gets a clean 500 or close 1011, and the server keeps serving. Raw bytes only.

let server: RunningServer & { dataDir: string };
const get = (path: string, headers: string[] = []) =>
  rawHttp(
    server.port,
    [`GET ${path} HTTP/1.1`, "Host: 127.0.0.1", ...headers, "Connection: close", "", ""].join("\r\n"),
  );
const upgrade = (path: string, headers: string[] = []) =>
  get(path, [
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Version: 13",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    ...headers,
  ]);
const healthy = async () => (await get("/healthz"))?.status === 200;

beforeAll(async () => {
  server = await startTestServer({ guard: { actionTimeoutMs: 100 } });
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

describe("malformed input gets 400", () => {
  it("a request target that is not a URL (GET http://[x/)", async () => {
    expect((await get("http://[x/"))?.status).toBe(400);
    expect(await healthy()).toBe(true);
  });

  it("the same target on an upgrade", async () => {
    expect((await upgrade("http://[x/"))?.status).toBe(400);
    expect(await healthy()).toBe(true);
  });

  it("a session cookie with a malformed percent-escape on a tRPC websocket upgrade", async () => {
    const r = await upgrade("/api/trpc-ws", ["Cookie: nsatlas_session=%", "Origin: http://127.0.0.1"]);
    expect(r?.status).toBe(400);
    expect(JSON.parse(r?.body ?? "{}").error.code).toBe("BAD_ESCAPE");
  });

  it("a session cookie with a malformed percent-escape on a request", async () => {
    expect((await get("/api/v1/hosts", ["Cookie: nsatlas_session=%E0%A4%A"]))?.status).toBe(400);
  });

  it("a path parameter with a malformed percent-escape", async () => {
    const r = await get("/api/v1/hosts/%E0%A4%A/inventory", [`Authorization: Bearer ${TEST_ADMIN_TOKEN}`]);
    expect(r?.status).toBe(400);
    expect(r?.body).not.toMatch(/at .*\.js:\d+/);
  });
});

describe("responses", () => {
  it("tRPC errors to unauthenticated clients carry no stack trace", async () => {
    const r = await get("/api/trpc/hosts.list");
    expect(r?.status).toBe(401);
    expect(r?.body).not.toContain("stack");
    expect(r?.body).not.toMatch(/at .*\.js:\d+/);
  });

  it.each(["/healthz", "/api/v1/hosts", "/api/trpc/hosts.list", "/no/such/page"])(
    "security headers on %s",
    async (p) => {
      const h = (await get(p))?.headers ?? {};
      expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(h["content-security-policy"]).not.toContain("unsafe-inline' 'nonce");
      expect(h["content-security-policy"]).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("no-referrer");
    },
  );

  it("a tRPC HTTP body over 512 KiB gets 413", async () => {
    const body = JSON.stringify({ "0": { json: "x".repeat(600 * 1024) } });
    const r = await rawHttp(
      server.port,
      [
        "POST /api/trpc/actions.plan?batch=1 HTTP/1.1",
        "Host: 127.0.0.1",
        `Authorization: Bearer ${TEST_ADMIN_TOKEN}`,
        "Content-Type: application/json",
        `Content-Length: ${body.length}`,
        "Connection: close",
        "",
        body,
      ].join("\r\n"),
    );
    expect(r?.status).toBe(413);
  });
});

describe("the /agent message handler", () => {
  it("closes 1011 when the hub fails on a valid frame (audit append throws for a late action-result)", async () => {
    const id = "edge-late-agent";
    const agent = await connectForgedAgent(server.url, await server.tokens.create(id, "agent"), id, minimalInventory());
    const { messages } = agent;
    // A confirmed action that times out (this forged agent does not answer in time) …
    const call = restClient(server.url);
    const plan = await call<PlanResponse>("POST", `/api/v1/hosts/${id}/actions`, TEST_ADMIN_TOKEN, {
      type: "netns.create",
      params: { name: "edge-late" },
    });
    expect(plan.status).toBe(200);
    const confirmed = await call("POST", `/api/v1/actions/${plan.body.planId}/confirm`, TEST_ADMIN_TOKEN, {
      confirm: plan.body.confirm,
    });
    expect(confirmed.status).toBe(504);
    const action = messages.find((m) => m.type === "action");
    expect(action).toBeDefined();
    const append = server.audit.append;
    server.audit.append = () => {
      throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    };
    try {
      agent.send(succeeded(action?.requestId, ["ip", "netns", "add", "edge-late"]));
      expect(await agent.closed).toBe(1011);
    } finally {
      server.audit.append = append;
    }
    expect(await healthy()).toBe(true);
  });
});
