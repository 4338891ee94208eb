import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { ACTIONS_CAPABILITY, type AuditEvent, type HelloFrame } from "@nsatlas/protocol";
import { TEST_PREFIX, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { RunningServer } from "./create-server.js";
import { minimalInventory } from "./testing/minimal-inventory.js";
import { type RealAgent, startRealAgent } from "./testing/real-agent.js";
import { eventually, restClient } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// Who may act, enforced on the server (REST and tRPC) and at the agent: auditors and a
// read-only dashboard change nothing, a read-only agent runs nothing even when a frame is
// forged at the hub, fleet-token hosts are view-only, and hostile input never reaches a kernel.

const world = new World();
const AGENT = `${world.prefix}-agent`;
const RO = `${world.prefix}-ro`;
const FLEET = `${world.prefix}-fleet`;
const FLEET_TOKEN = `fleet-${world.prefix}-0123456789`;
let server: RunningServer & { dataDir: string };
let roServer: (RunningServer & { dataDir: string }) | null = null;
let agent: RealAgent;
let roAgent: RealAgent;
let fleetSocket: WebSocket;
let op: string;
let aud: string;
let call: ReturnType<typeof restClient>;

const sh = (cmd: string, ...args: string[]) =>
  execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
/** The stack and link names the kernel shows (and their flags), leaving out what other test
 * runs on this host make meanwhile: their names carry the shared test prefix, never ours. */
const kernelState = () =>
  [...sh("ip", "netns", "list").split("\n"), ...sh("ip", "-o", "link", "show").split("\n")]
    .filter((l) => !l.includes(TEST_PREFIX) || l.includes(world.prefix))
    .map((l) => l.replace(/\s+(qlen|link\/).*$/, ""))
    .sort()
    .join("\n");

async function auditRows(): Promise<AuditEvent[]> {
  return (await call<{ events: AuditEvent[] }>("GET", "/api/v1/audit?limit=1000", TEST_ADMIN_TOKEN)).body.events;
}
/** A tRPC mutation over HTTP, as the browser makes it (non-batched, no transformer). */
async function trpcMutation(base: string, path: string, token: string, input: unknown) {
  const r = await fetch(`${base}/api/trpc/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  return { status: r.status, body: (await r.json()) as { error?: { message: string } } };
}

function connectFleetHost(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/agent`, {
      headers: { Authorization: `Bearer ${FLEET_TOKEN}` },
    });
    const hello: HelloFrame = {
      type: "hello",
      protocol: 1,
      agentId: FLEET,
      hostname: "fleet",
      bootId: "b",
      version: "test",
      readOnly: false,
      capabilities: [ACTIONS_CAPABILITY],
    };
    ws.on("open", () => {
      ws.send(JSON.stringify(hello));
      ws.send(JSON.stringify({ type: "snapshot", epoch: "e1", seq: 1, inventory: minimalInventory() }));
      resolve(ws);
    });
    ws.on("error", reject);
  });
}

const hostUp = (id: string) =>
  eventually(async () => (await call("GET", `/api/v1/hosts/${id}/inventory`, TEST_ADMIN_TOKEN)).status === 200);

beforeAll(async () => {
  server = await startTestServer({ fleetToken: FLEET_TOKEN });
  call = restClient(server.url);
  op = await server.tokens.create(`${world.prefix}-op`, "operator");
  aud = await server.tokens.create(`${world.prefix}-aud`, "auditor");
  agent = await startRealAgent(server, world, AGENT, ["--interval", "200ms"]);
  roAgent = await startRealAgent(server, world, RO, ["--interval", "200ms", "--read-only"]);
  fleetSocket = await connectFleetHost();
  world.defer(() => fleetSocket.terminate());
  expect(await hostUp(AGENT)).toBe(true);
  expect(await hostUp(RO)).toBe(true);
  expect(await hostUp(FLEET)).toBe(true);
});
afterAll(async () => {
  await world.cleanup();
  for (const s of [server, roServer]) {
    if (!s) continue;
    await s.close();
    removeDataDir(s.dataDir);
  }
});

describe("an auditor changes nothing", () => {
  it("gets 403 and an audit row for every mutation through the raw API (REST and tRPC); state unchanged", async () => {
    const name = world.name("au");
    const before = kernelState();
    const create = { type: "netns.create", params: { name } };
    const opPlan = await call<{ planId: string }>("POST", `/api/v1/hosts/${AGENT}/actions`, op, create);
    expect(opPlan.status).toBe(200);
    const refusals = [
      await call("POST", `/api/v1/hosts/${AGENT}/actions`, aud, create),
      await call("POST", `/api/v1/actions/${opPlan.body.planId}/confirm`, aud, { confirm: name }),
      await call("DELETE", `/api/v1/hosts/${AGENT}`, aud),
      await trpcMutation(server.url, "actions.plan", aud, { hostId: AGENT, action: create }),
      await trpcMutation(server.url, "actions.confirm", aud, { planId: opPlan.body.planId, confirm: name }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(refusals[0]?.body).toMatchObject({ error: { code: "ROLE_READ_ONLY" } });
    const denied = (await auditRows()).filter((e) => e.actor === `${world.prefix}-aud` && e.result === "denied");
    expect(denied.map((e) => e.action)).toEqual([
      "POST /api/v1/hosts/{id}/actions",
      "POST /api/v1/actions/{planId}/confirm",
      "DELETE /api/v1/hosts/{id}",
      "trpc actions.plan",
      "trpc actions.confirm",
    ]);
    expect(kernelState()).toBe(before);
    expect((await call("GET", "/api/v1/hosts", aud)).body).toMatchObject({
      hosts: expect.arrayContaining([expect.objectContaining({ id: AGENT })]),
    });
    expect((await auditRows()).some((e) => e.result === "requested" && e.target.name === name)).toBe(false);
  });

  it("may still log in and out, and read everything, the audit log included", async () => {
    const login = await fetch(`${server.url}/api/v1/session`, { method: "POST", body: JSON.stringify({ token: aud }) });
    expect(login.status).toBe(204);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const logout = await fetch(`${server.url}/api/v1/session`, {
      method: "DELETE",
      headers: { cookie, "sec-fetch-site": "same-origin" },
    });
    expect(logout.status).toBe(204);
    expect((await call("GET", "/api/v1/audit?since=0&limit=10", aud)).status).toBe(200);
    const events = (await auditRows())
      .filter((e) => e.actor === `${world.prefix}-aud`)
      .map((e) => `${e.action} ${e.result}`);
    expect(events).toEqual(expect.arrayContaining(["session.login ok", "session.logout ok"]));
  });
});

describe("a read-only dashboard (NSATLAS_READ_ONLY)", () => {
  it("refuses every mutation, even an admin's, with 403 and an audit row; logging in still works", async () => {
    roServer = await startTestServer({ guard: { readOnly: true } });
    const ro = restClient(roServer.url);
    const r1 = await ro("POST", `/api/v1/hosts/${AGENT}/actions`, TEST_ADMIN_TOKEN, {
      type: "netns.create",
      params: { name: "x" },
    });
    expect(r1).toMatchObject({ status: 403, body: { error: { code: "READ_ONLY_DASHBOARD" } } });
    expect((await ro("POST", "/api/v1/actions/some-plan/confirm", TEST_ADMIN_TOKEN, { confirm: "x" })).status).toBe(
      403,
    );
    expect(
      (await trpcMutation(roServer.url, "actions.plan", TEST_ADMIN_TOKEN, { hostId: AGENT, action: {} })).status,
    ).toBe(403);
    const login = await fetch(`${roServer.url}/api/v1/session`, {
      method: "POST",
      body: JSON.stringify({ token: TEST_ADMIN_TOKEN }),
    });
    expect(login.status).toBe(204);
    const rows = (await ro<{ events: AuditEvent[] }>("GET", "/api/v1/audit?limit=100", TEST_ADMIN_TOKEN)).body.events;
    expect(rows.filter((e) => e.result === "denied").map((e) => e.error?.split(":")[0])).toEqual([
      "READ_ONLY_DASHBOARD",
      "READ_ONLY_DASHBOARD",
      "READ_ONLY_DASHBOARD",
    ]);
    expect(
      (await trpcQuery(roServer.url, "actions.policy", TEST_ADMIN_TOKEN, { hostId: null })).result.data,
    ).toMatchObject({
      mayAct: false,
      reason: expect.stringMatching(/read-only/),
    });
  });
});

async function trpcQuery(base: string, path: string, token: string, input: unknown) {
  const r = await fetch(`${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await r.json()) as { result: { data: unknown } };
}

describe("a read-only agent and a fleet-token host", () => {
  it("advertise nothing to act with, and the hub refuses to plan for them (403 with the reason)", async () => {
    const hosts = (
      await call<{ hosts: Array<{ id: string; readOnly: boolean; credential: string }> }>("GET", "/api/v1/hosts", op)
    ).body.hosts;
    expect(hosts.find((h) => h.id === RO)).toMatchObject({ readOnly: true });
    const ro = await call("POST", `/api/v1/hosts/${RO}/actions`, op, {
      type: "netns.create",
      params: { name: world.name("r") },
    });
    expect(ro).toMatchObject({
      status: 403,
      body: { error: { code: "AGENT_READ_ONLY", message: expect.stringMatching(/--read-only/) } },
    });
    const fleet = await call("POST", `/api/v1/hosts/${FLEET}/actions`, op, {
      type: "netns.create",
      params: { name: world.name("f") },
    });
    expect(fleet).toMatchObject({ status: 403, body: { error: { code: "VIEW_ONLY_HOST" } } });
    const policy = await trpcQuery(server.url, "actions.policy", op, { hostId: FLEET });
    expect(policy.result.data).toMatchObject({ mayAct: false, reason: expect.stringMatching(/fleet token/) });
  });

  it("a read-only agent refuses even a frame forged at the hub, and reports it", async () => {
    const name = world.name("fg");
    const before = kernelState();
    const result = await server.actions.dispatcher.dispatch(
      RO,
      {
        type: "action",
        requestId: randomUUID(),
        action: { type: "netns.create", params: { name } },
        targets: {},
        command: ["ip", "netns", "add", name],
        writes: null,
      },
      5_000,
    );
    expect(result).toMatchObject({ status: "refused", command: null, error: { code: "AGENT_READ_ONLY" } });
    expect(kernelState()).toBe(before);
    expect(roAgent.log.join("\n")).toMatch(/refused an action frame/);
  });
});

describe("hostile input", () => {
  const hostile = ["; rm -rf /", "../x", "$(reboot)", "1234", "ünïcode", "名前", "", " ", "x".repeat(10 * 1024)];

  it("answers 400 to hostile names, addresses, files and bodies: nothing changed, nothing executed", async () => {
    const before = kernelState();
    const bodies: unknown[] = [
      ...hostile.map((name) => ({ type: "netns.create", params: { name } })),
      ...hostile.map((name) => ({ type: "netns.delete", params: { name, force: true } })),
      ...hostile.map((link) => ({ type: "link.setState", params: { ns: "initial", link, up: false } })),
      ...hostile.map((ns) => ({ type: "link.move", params: { ns, link: "lo", to: "initial" } })),
      { type: "link.setState", params: { ns: "initial", link: "x".repeat(16), up: false } },
      { type: "veth.create", params: { a: { ns: "initial", name: "a".repeat(16) }, b: { ns: "initial", name: "b" } } },
      { type: "addr.add", params: { ns: "initial", link: "lo", address: "10.0.0.1/24; reboot" } },
      { type: "addr.add", params: { ns: "initial", link: "lo", address: "10.0.0.1" } },
      { type: "netns.file.write", params: { name: "x", file: "../../shadow", content: "" } },
      { type: "netns.file.write", params: { name: "x", file: "hosts", content: "x".repeat(64 * 1024 + 1) } },
      { type: "shell.exec", params: { cmd: "id" } },
      { type: "netns.create", params: { name: "ok", extra: "; id" } },
      "not an object",
      null,
    ];
    for (const body of bodies) {
      const r = await call<{ error: { code: string } }>("POST", `/api/v1/hosts/${AGENT}/actions`, op, body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body.error.code).toBe("BAD_PARAMS");
    }
    const notJson = await fetch(`${server.url}/api/v1/hosts/${AGENT}/actions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${op}` },
      body: "{ this is not json",
    });
    expect(notJson.status).toBe(400);
    expect(kernelState()).toBe(before);
    const rows = await auditRows();
    expect(rows.filter((e) => e.result === "requested")).toEqual([]);
    expect(rows.filter((e) => e.result === "invalid").length).toBe(bodies.length);
    expect(agent.log.filter((l) => / action /.test(l))).toEqual([]);
  });

  it("the agent re-validates: a hostile frame forged at the hub is refused there, and nothing runs", async () => {
    const before = kernelState();
    for (const name of ["; rm -rf /", "../x", "1234"]) {
      const r = await server.actions.dispatcher.dispatch(
        AGENT,
        {
          type: "action",
          requestId: randomUUID(),
          action: { type: "netns.create", params: { name } } as never,
          targets: {},
          command: ["ip", "netns", "add", name],
          writes: null,
        },
        5_000,
      );
      expect(r).toMatchObject({ status: "refused", error: { code: "BAD_ACTION" } });
    }
    expect(kernelState()).toBe(before);
    expect(agent.log.filter((l) => / action [0-9a-f-]+: ip /.test(l))).toEqual([]);
  });
});

describe("agent tokens", () => {
  it("only stream: the API answers them 403, reads included", async () => {
    const token = await server.tokens.create(`${world.prefix}-a9`, "agent");
    expect((await call("GET", "/api/v1/hosts", token)).status).toBe(403);
    expect(
      (await call("POST", `/api/v1/hosts/${AGENT}/actions`, token, { type: "netns.create", params: { name: "x" } }))
        .status,
    ).toBe(403);
    expect((await trpcMutation(server.url, "actions.plan", token, { hostId: AGENT, action: {} })).status).toBe(403);
  });
});

describe("agent connections", () => {
  it("are audit events, with how the agent authenticated", async () => {
    const rows = (await auditRows()).filter((e) => e.action === "agent.connect");
    const byHost = new Map(rows.map((e) => [e.target.host, (e.params as { credential: string }).credential]));
    expect(byHost.get(AGENT)).toBe("agent-token");
    expect(byHost.get(FLEET)).toBe("fleet-token");
    expect(rows.find((e) => e.target.host === RO)?.params).toMatchObject({ readOnly: true, capabilities: [] });
  });
});
