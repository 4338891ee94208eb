import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { dirname, join } from "node:path";
import {
  defaultAgentMain,
  makeTestCertificates,
  SimulatedHost,
  type TestCertificates,
  World,
  waitFor,
} from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { removeDataDir, startTestServer } from "./testing/test-server.js";

// The dashboard serving https/wss from NSATLAS_TLS_CERT/KEY, with a CA and certificates this
// test makes (openssl): an agent trusting that CA connects, one trusting another CA refuses
// the hub, and plain ws:// to a non-loopback hub is refused before any connection.
const world = new World();
const hosts: SimulatedHost[] = [];
let server: RunningServer & { dataDir: string };
let certs: TestCertificates;

async function startAgent(agentId: string, caFile: string): Promise<SimulatedHost> {
  const tokenFile = join(world.tmpDir(), `${agentId}.token`);
  writeFileSync(tokenFile, await server.tokens.create(agentId, "agent"));
  const host = await SimulatedHost.start({
    hubUrl: `${server.url.replace("https", "wss")}/agent`,
    tokenFile,
    agentId,
    agentArgs: ["--ca-file", caFile, "--backoff-base", "100ms"],
    baseDir: world.tmpDir(),
    env: { NSATLAS_TEST_RUN: world.prefix },
  });
  world.defer(() => host.kill());
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  certs = makeTestCertificates(world.tmpDir());
  server = await startTestServer({
    tls: { certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.caCert },
  });
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await world.cleanup();
  await server?.close();
  if (server) removeDataDir(server.dataDir);
});

describe("TLS between agents and the dashboard", () => {
  it("serves https", async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      httpsGet(`${server.url}/healthz`, { ca: readFileSync(certs.caCert) }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () => resolve(text));
      }).on("error", reject);
    });
    expect(JSON.parse(body)).toEqual({ ok: true });
  });

  it("connects an agent that trusts the hub's CA over wss", async () => {
    const host = await startAgent(`${world.prefix}-good`, certs.caCert);
    expect(await waitFor(() => server.fleet.host(host.agentId)?.inventory != null, 15_000)).toBe(true);
  });

  it("refuses the hub when the agent trusts another CA, and says so", async () => {
    const host = await startAgent(`${world.prefix}-bad`, certs.wrongCaCert);
    const said = (l: string) => l.includes("TLS: refusing the hub's certificate");
    expect(await waitFor(() => host.log.some(said), 15_000)).toBe(true);
    expect(server.fleet.host(host.agentId)).toBeUndefined();
  });

  it("refuses plain ws:// to a non-loopback hub unless --insecure (exit 2, nothing dialled)", () => {
    const bin = join(dirname(defaultAgentMain()), "..", "bin", "nsatlas-agent");
    // 192.0.2.1 is TEST-NET-1: the agent refuses the URL before it would dial anything.
    const r = spawnSync(process.execPath, [bin, "run", "--hub", "ws://192.0.2.1:3000/agent", "--agent-id", "x"], {
      encoding: "utf8",
      env: { ...process.env, NSATLAS_AGENT_TOKEN: "unused" },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("refusing plain ws:// to non-loopback 192.0.2.1");
  });
});
