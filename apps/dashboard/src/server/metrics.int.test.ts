import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { defaultAgentMain, SimulatedHost, World, waitFor } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// Prometheus metrics of the dashboard (/metrics, bearer) and of an agent (--metrics,
// --metrics-token-file): tokens are required and the promised metric names are there.
const world = new World();
let server: RunningServer & { dataDir: string };
let host: SimulatedHost;
let agentMetricsUrl = "";
const METRICS_TOKEN = "agent-metrics-token-0123456789";

/** Every name appears in the exposition (a series, or at least its HELP/TYPE lines). */
const expectNames = (text: string, names: string[]) => {
  for (const name of names) expect(text).toContain(name);
};

const fetchWith = (url: string, token?: string) =>
  fetch(url, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });

beforeAll(async () => {
  server = await startTestServer();
  const agentId = `${world.prefix}-metrics`;
  const tokenFile = join(world.tmpDir(), "agent.token");
  const metricsTokenFile = join(world.tmpDir(), "metrics.token");
  writeFileSync(tokenFile, await server.tokens.create(agentId, "agent"));
  writeFileSync(metricsTokenFile, `${METRICS_TOKEN}\n`);
  host = await SimulatedHost.start({
    hubUrl: `${server.url.replace("http", "ws")}/agent`,
    tokenFile,
    agentId,
    agentArgs: ["--metrics", "127.0.0.1:0", "--metrics-token-file", metricsTokenFile],
    baseDir: world.tmpDir(),
    env: { NSATLAS_TEST_RUN: world.prefix },
  });
  world.defer(() => host.kill());
  const said = () => host.log.map((l) => /metrics on (http:\/\/\S+)\/metrics/.exec(l)?.[1]).find(Boolean);
  await waitFor(() => said() !== undefined, 10_000);
  agentMetricsUrl = said() ?? "";
});

afterAll(async () => {
  await host?.stop();
  await world.cleanup();
  await server?.close();
  if (server) removeDataDir(server.dataDir);
});

describe("dashboard /metrics", () => {
  it("needs a person's token: none 401, an agent's 403", async () => {
    expect((await fetchWith(`${server.url}/metrics`)).status).toBe(401);
    const agentToken = await server.tokens.create(`${world.prefix}-a2`, "agent");
    expect((await fetchWith(`${server.url}/metrics`, agentToken)).status).toBe(403);
  });

  it("exposes agents by state, frames, resyncs, rejected frames, actions and fleet totals", async () => {
    expect(await waitFor(() => server.fleet.host(host.agentId)?.inventory != null, 15_000)).toBe(true);
    const r = await fetchWith(`${server.url}/metrics`, TEST_ADMIN_TOKEN);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/plain");
    const text = await r.text();
    expect(text).toContain('nsatlas_agents{state="connected"} 1');
    expectNames(text, [
      "nsatlas_frames_in_total",
      "nsatlas_frames_out_total",
      "nsatlas_resyncs_total",
      "nsatlas_rejected_frames_total",
      "nsatlas_actions_total",
      'nsatlas_fleet_namespaces{type="net"}',
      "nsatlas_fleet_processes",
      "nsatlas_fleet_stacks",
      "process_cpu_seconds_total",
    ]);
  });
});

describe("agent --metrics", () => {
  it("serves /healthz without a token and /metrics only with the right one", async () => {
    expect(agentMetricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const healthy = async () => (await fetchWith(`${agentMetricsUrl}/healthz`)).status === 200;
    const until = Date.now() + 10_000;
    while (!(await healthy()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await healthy()).toBe(true);
    expect((await fetchWith(`${agentMetricsUrl}/metrics`)).status).toBe(401);
    expect((await fetchWith(`${agentMetricsUrl}/metrics`, "wrong")).status).toBe(401);
    const text = await (await fetchWith(`${agentMetricsUrl}/metrics`, METRICS_TOKEN)).text();
    expectNames(text, [
      "nsatlas_scan_duration_seconds_bucket",
      'nsatlas_namespaces{type="net"}',
      "nsatlas_processes",
      "nsatlas_stacks",
      "nsatlas_uplink_connected 1",
      "nsatlas_frames_out_total",
      "nsatlas_frames_in_total",
      "nsatlas_resyncs_total",
      "nsatlas_actions_total",
    ]);
  });

  it("refuses --metrics without --metrics-token-file (exit 2)", () => {
    const bin = join(dirname(defaultAgentMain()), "..", "bin", "nsatlas-agent");
    const r = spawnSync(process.execPath, [bin, "run", "--hub", "ws://127.0.0.1:1/agent", "--metrics", "127.0.0.1:0"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--metrics needs --metrics-token-file");
  });
});
