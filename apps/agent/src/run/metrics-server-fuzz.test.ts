import { rawHttp, rawRequestArbitrary } from "@nsatlas/test-world";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentMetrics } from "./agent-metrics.js";
import { type MetricsServer, startMetricsServer } from "./metrics-server.js";

// Raw bytes against the agent's metrics server: every request answered, never a 500, and
// /healthz still served. fast-check prints the seed and the shrunk request of a failure.

const TOKEN = "fuzz-metrics-token";
let server: MetricsServer;
beforeAll(async () => {
  const metrics = { render: async () => "# nothing\n", contentType: "text/plain" } as unknown as AgentMetrics;
  server = await startMetricsServer({
    host: "127.0.0.1",
    port: 0,
    token: TOKEN,
    metrics,
    connected: () => true,
    log() {},
  });
});
afterAll(() => server.close());

describe("raw HTTP fuzz against the agent's metrics server", () => {
  it("answers every request, never with a 500, and still serves /healthz", async () => {
    await fc.assert(
      fc.asyncProperty(rawRequestArbitrary(["/healthz", "/metrics", "/"], [TOKEN]), async (bytes) => {
        const r = await rawHttp(server.port, bytes, { headOnly: true });
        expect(r, "no HTTP answer").not.toBeNull();
        expect(r?.status).not.toBe(500);
      }),
      { numRuns: 2_000 },
    );
    const health = await rawHttp(server.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(health?.status).toBe(200);
  });

  it("answers a request target that is not a URL with 400", async () => {
    const r = await rawHttp(server.port, "GET http://[x/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(r?.status).toBe(400);
  });
});
