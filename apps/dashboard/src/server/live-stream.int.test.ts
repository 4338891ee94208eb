import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Inventory } from "@nsatlas/protocol";
import { World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// A real agent process streaming this host to a real server; the test makes stacks and
// processes and waits (generous timeouts, not benchmarks) until the hub's view has them.
const AGENT_BIN = join(
  dirname(createRequire(import.meta.url).resolve("@nsatlas/agent/package.json")),
  "bin",
  "nsatlas-agent",
);
const world = new World();
let server: RunningServer & { dataDir: string };
let agent: ChildProcess;
let tokenFile: string;
const AGENT_ID = `${world.prefix}-agent`;

function startAgent(args: string[] = [], token = tokenFile): ChildProcess {
  const child = spawn(
    process.execPath,
    [AGENT_BIN, "run", "--hub", `${server.url.replace("http", "ws")}/agent`, "--token-file", token, ...args],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NSATLAS_TEST_RUN: world.prefix },
    },
  );
  world.defer(() => child.kill("SIGKILL"));
  return child;
}

async function inventory(): Promise<Inventory | null> {
  // A pooled connection to a restarted server fails once: that is "not yet", not an error.
  const r = await fetch(`${server.url}/api/v1/hosts/${AGENT_ID}/inventory`, {
    headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  }).catch(() => null);
  return r?.ok ? ((await r.json()) as Inventory) : null;
}

async function eventually(check: (inv: Inventory) => boolean, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const inv = await inventory();
    if (inv && check(inv)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
  });

beforeAll(async () => {
  server = await startTestServer();
  tokenFile = join(world.tmpDir(), "agent.token");
  writeFileSync(tokenFile, await server.tokens.create(AGENT_ID, "agent"));
  agent = startAgent(["--agent-id", AGENT_ID, "--interval", "200ms", "--backoff-base", "100ms"]);
});
afterAll(async () => {
  agent?.kill("SIGCONT");
  await world.cleanup();
  await server.close();
  removeDataDir(server.dataDir);
});

describe("live stream from a real agent", () => {
  it("shows the host with its inventory", async () => {
    expect(await eventually((inv) => inv.processes.some((p) => p.pid === agent.pid))).toBe(true);
  });

  it("shows a stack made with ip netns add, and drops it when deleted", async () => {
    const { name } = world.netnsAdd("live");
    expect(await eventually((inv) => inv.namespaces.some((n) => n.names.includes(name)))).toBe(true);
    world.run(["ip", "netns", "del", name]);
    expect(await eventually((inv) => !inv.namespaces.some((n) => n.names.includes(name)))).toBe(true);
  });

  it("shows a process-held stack from unshare --net", async () => {
    const p = await world.spawn(["unshare", "--net", "sleep", "1000"], { comm: "sleep" });
    expect(
      await eventually((inv) => {
        const proc = inv.processes.find((x) => x.pid === p.pid);
        return !!proc && inv.namespaces.some((n) => n.id === `net:${proc.ns.net}` && !n.initial);
      }),
    ).toBe(true);
  });

  it("shows the new command line of a process that exec'd (same pid and start time)", async () => {
    const p = await world.spawn(["bash", "-c", "sleep 0.5; exec sleep 1002"], { comm: "bash" });
    expect(await eventually((inv) => inv.processes.find((x) => x.pid === p.pid)?.cmdline[0] === "bash")).toBe(true);
    expect(
      await eventually((inv) => inv.processes.find((x) => x.pid === p.pid)?.cmdline.join(" ") === "sleep 1002"),
    ).toBe(true);
  });

  it("reconnects after the hub restarts and converges to a fresh scan", async () => {
    const { port, dataDir } = server;
    await server.close();
    server = await startTestServer({ port, dataDir });
    const { name } = world.netnsAdd("after");
    expect(await eventually((inv) => inv.namespaces.some((n) => n.names.includes(name)), 15_000)).toBe(true);
  });

  it("turns stale when the agent is frozen (SIGSTOP) and connected again when thawed", async () => {
    const state = async () => {
      const r = await fetch(`${server.url}/api/v1/hosts`, { headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      if (!r.ok) return undefined;
      const body = (await r.json()) as { hosts: Array<{ id: string; state: string }> };
      return body.hosts.find((h) => h.id === AGENT_ID)?.state;
    };
    agent.kill("SIGSTOP");
    const reaches = async (want: string, timeoutMs: number) => {
      const until = Date.now() + timeoutMs;
      let s = await state();
      while (Date.now() < until && s !== want) {
        await new Promise((r) => setTimeout(r, 200));
        s = await state();
      }
      return s;
    };
    // 15 s after its last frame (a generous timeout: this is not a benchmark).
    expect(await reaches("stale", 25_000)).toBe("stale");
    agent.kill("SIGCONT");
    expect(await reaches("connected", 15_000)).toBe("connected");
  }, 60_000);

  it("exits 3 on a bad token or when the token belongs to another agent id", async () => {
    const bad = join(world.tmpDir(), "bad.token");
    writeFileSync(bad, "not-a-token");
    expect(await exitCode(startAgent(["--agent-id", "x1"], bad))).toBe(3);
    expect(await exitCode(startAgent(["--agent-id", "someone-else"]))).toBe(3);
    // Refused agents leave no host behind them.
    for (const id of ["x1", "someone-else"]) {
      const r = await fetch(`${server.url}/api/v1/hosts/${id}/inventory`, {
        headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect(r.status, id).toBe(404);
    }
  });
});
