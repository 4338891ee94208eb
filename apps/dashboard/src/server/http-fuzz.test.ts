import { rawHttp, rawRequestArbitrary } from "@nsatlas/test-world";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// Raw bytes from a stranger (and from an admin with odd input) against the real server: every
// request gets an HTTP answer that is not a 500, nothing escapes a listener (vitest fails the
// run on an uncaught exception), and /healthz is served afterwards. fast-check prints the seed
// and the shrunk request of a failure.

const PATHS = [
  "/healthz",
  "/api/v1/hosts",
  "/api/v1/hosts/h1/inventory",
  "/api/v1/session",
  "/api/v1/audit",
  "/api/v1/actions/p1/confirm",
  "/api/trpc/hosts.list",
  "/api/trpc/actions.plan?batch=1",
  "/api/trpc-ws",
  "/agent",
  "/metrics",
  "/openapi.json",
];

let server: RunningServer & { dataDir: string };
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

describe("raw HTTP fuzz against the dashboard server", () => {
  it("answers every request, never with a 500, and still serves /healthz", async () => {
    const agent = server.tokens.create("fuzz-agent", "agent");
    await fc.assert(
      fc.asyncProperty(rawRequestArbitrary(PATHS, [TEST_ADMIN_TOKEN, agent]), async (bytes) => {
        const r = await rawHttp(server.port, bytes, { headOnly: true });
        expect(r, "no HTTP answer").not.toBeNull();
        expect(r?.status).not.toBe(500);
      }),
      { numRuns: 2_000 },
    );
    const health = await rawHttp(server.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(health?.status).toBe(200);
  });
});
