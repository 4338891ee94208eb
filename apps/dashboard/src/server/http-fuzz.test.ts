import { fuzzRawHttp } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// Raw bytes from a stranger (and from an admin with odd input) against the real server: every
// request gets an HTTP answer that is not a 500, nothing escapes a listener (vitest fails the
// run on an uncaught exception), and /healthz is served afterwards.

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
    const agent = await server.tokens.create("fuzz-agent", "agent");
    await fuzzRawHttp(server.port, { paths: PATHS, secrets: [TEST_ADMIN_TOKEN, agent], numRuns: 1_000 });
  }, 60_000);
});
