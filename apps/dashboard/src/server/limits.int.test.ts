import type { AuditEvent } from "@nsatlas/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { rawHttp } from "./testing/raw-http.js";
import { restClient } from "./testing/rest-client.js";
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
      const r = await rawHttp(
        server.port,
        [
          "GET /agent HTTP/1.1",
          "Host: 127.0.0.1",
          "Authorization: Bearer not-a-token",
          "Upgrade: websocket",
          "Connection: Upgrade",
          "Sec-WebSocket-Version: 13",
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
          "",
          "",
        ].join("\r\n"),
      );
      expect(r?.status).toBe(401);
    }
    const rows = (await auditRows("agent.refused")).slice(before);
    expect(rows.map((e) => (e.params as { count: number }).count)).toEqual([25]);
  });
});
