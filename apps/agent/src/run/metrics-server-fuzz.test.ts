import { fuzzRawHttp, rawHttp } from "@nsatlas/test-world";
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
    await fuzzRawHttp(server.port, { paths: ["/healthz", "/metrics", "/"], secrets: [TOKEN], numRuns: 1_000 });
  }, 60_000);

  it("answers a request target that is not a URL with 400", async () => {
    const r = await rawHttp(server.port, "GET http://[x/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(r?.status).toBe(400);
  });
});
