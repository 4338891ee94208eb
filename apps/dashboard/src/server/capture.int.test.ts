import { execFileSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditEvent, CaptureSummary, ConfirmResponse, PlanResponse } from "@nsatlas/protocol";
import { World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { type RealAgent, startRealAgent } from "./testing/real-agent.js";
import { eventually, restClient } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// Captures on real stacks through the real server and a real agent: two stacks joined by a
// veth, ping and a TCP exchange between them, and the downloaded pcapng read back by tshark.

const world = new World();
const AGENT = `${world.prefix}-agent`;
const RO_AGENT = `${world.prefix}-ro`;
let server: RunningServer & { dataDir: string };
let agent: RealAgent;
let op: string;
let auditor: string;
let call: ReturnType<typeof restClient>;
let A: string;
let B: string;
const LINK_A = world.name("a0");
const ADDR_A = "10.231.7.1";
const ADDR_B = "10.231.7.2";

const PLAN_ROUTE = "POST /api/v1/hosts/{id}/actions";
const run = (...argv: string[]) => world.run(argv);

type Plan = PlanResponse & { error?: { code: string; message: string } };
const plan = (params: Record<string, unknown>, token = op, host = AGENT) =>
  call<Plan>("POST", `/api/v1/hosts/${host}/actions`, token, { type: "capture.start", params });

/** Plans and confirms a capture; returns its id. */
async function start(params: Record<string, unknown>): Promise<string> {
  const p = await plan(params);
  expect(p.status, JSON.stringify(p.body)).toBe(200);
  const c = await call<ConfirmResponse>("POST", `/api/v1/actions/${p.body.planId}/confirm`, op, {
    confirm: p.body.confirm,
  });
  expect(c.status, JSON.stringify(c.body)).toBe(200);
  expect(c.body.status).toBe("succeeded");
  const ref = c.body.result?.capture;
  expect(ref?.url).toBe(`/api/v1/captures/${ref?.id}.pcapng`);
  return ref?.id ?? "";
}

async function summary(id: string): Promise<CaptureSummary | undefined> {
  const r = await call<{ captures: CaptureSummary[] }>("GET", "/api/v1/captures", op);
  return r.body.captures.find((c) => c.id === id);
}
const ended = async (id: string) => {
  expect(await eventually(async () => (await summary(id))?.state !== "running", 20_000)).toBe(true);
  return (await summary(id)) as CaptureSummary;
};

/** Downloads a capture to a file and returns its path. */
async function download(id: string, token = op): Promise<string> {
  const r = await fetch(`${server.url}/api/v1/captures/${id}.pcapng`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toBe("application/x-pcapng");
  const file = join(world.tmpDir(), `${id}.pcapng`);
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  return file;
}

/** tshark's fields of each packet of a file, one array per packet. */
const tshark = (file: string, ...fields: string[]) =>
  execFileSync("tshark", ["-r", file, "-T", "fields", ...fields.flatMap((f) => ["-e", f])], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t"));
const capinfosCount = (file: string) =>
  Number(/Number of packets:\s+(\d+)/.exec(execFileSync("capinfos", ["-c", "-M", file], { encoding: "utf8" }))?.[1]);

/** A TCP exchange from A to B: B listens, A sends a line, B answers and closes. */
async function tcpRoundTrip(port: number): Promise<void> {
  const listener = await world.spawn(
    [
      "ip",
      "netns",
      "exec",
      B,
      process.execPath,
      "-e",
      `const s=require("net").createServer(c=>c.on("data",()=>{c.end("pong\\n");s.close()}));s.listen(${port},"${ADDR_B}",()=>console.log("ready"))`,
    ],
    { line: /ready/ },
  );
  run(
    "ip",
    "netns",
    "exec",
    A,
    process.execPath,
    "-e",
    `const c=require("net").connect(${port},"${ADDR_B}",()=>c.write("ping\\n"));c.on("data",()=>{});c.on("end",()=>c.end())`,
  );
  await eventually(() => listener.child.exitCode !== null, 5_000);
}

async function auditRows(action: string): Promise<AuditEvent[]> {
  const r = await call<{ events: AuditEvent[] }>("GET", "/api/v1/audit?limit=1000", TEST_ADMIN_TOKEN);
  return r.body.events.filter((e) => e.action === action);
}

beforeAll(async () => {
  server = await startTestServer({ guard: { planTtlMs: 30_000, actionTimeoutMs: 15_000 } });
  call = restClient(server.url);
  op = await server.tokens.create(`${world.prefix}-op`, "operator");
  auditor = await server.tokens.create(`${world.prefix}-au`, "auditor");
  A = world.netnsAdd("A").name;
  B = world.netnsAdd("B").name;
  run("ip", "-n", A, "link", "add", LINK_A, "type", "veth", "peer", "name", world.name("b0"), "netns", B);
  run("ip", "-n", A, "addr", "add", `${ADDR_A}/24`, "dev", LINK_A);
  run("ip", "-n", B, "addr", "add", `${ADDR_B}/24`, "dev", world.name("b0"));
  for (const [ns, l] of [
    [A, LINK_A],
    [B, world.name("b0")],
    [A, "lo"],
    [B, "lo"],
  ] as const)
    run("ip", "-n", ns, "link", "set", l, "up");
  // The kernel's duplicate-address detection would add IPv6 ND packets at any moment: off.
  for (const ns of [A, B]) run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
  agent = await startRealAgent(server, world, AGENT, ["--interval", "200ms", "--backoff-base", "100ms"]);
  await startRealAgent(server, world, RO_AGENT, ["--interval", "1s", "--read-only"]);
  const seen = async () => {
    const r = await call<{ namespaces: { names: string[] }[]; netstacks?: { links: { name: string }[] }[] }>(
      "GET",
      `/api/v1/hosts/${AGENT}/inventory`,
      TEST_ADMIN_TOKEN,
    );
    return (
      r.status === 200 &&
      r.body.namespaces.some((n) => n.names.includes(A)) &&
      !!r.body.netstacks?.some((s) => s.links.some((l) => l.name === LINK_A))
    );
  };
  expect(await eventually(seen, 20_000)).toBe(true);
}, 60_000);

afterAll(async () => {
  await world.cleanup();
  await server?.close();
  if (server) removeDataDir(server.dataDir);
});

describe("capture.start on real stacks", () => {
  it("captures exactly the ping packets its filter selects, streams them, and stops when asked", async () => {
    const p = await plan({ ns: A, link: LINK_A, filter: "icmp" });
    expect(p.body.confirm).toBe(A);
    expect(p.body.command).toEqual([
      "nsenter",
      `--net=/run/netns/${A}`,
      "dumpcap",
      "-q",
      "-i",
      LINK_A,
      "-f",
      "icmp",
      "-s",
      "262144",
      "-B",
      "32",
      "-a",
      "duration:60",
      "-w",
      "-",
    ]);
    const id = await start({ ns: A, link: LINK_A, filter: "icmp" });
    run("ip", "netns", "exec", A, "busybox", "ping", "-c", "3", "-i", "0.2", "-W", "1", ADDR_B);
    await tcpRoundTrip(7001);
    expect(await eventually(async () => (await summary(id))?.packets === 6, 10_000)).toBe(true);
    const stop = await call<CaptureSummary>("POST", `/api/v1/captures/${id}/stop`, op);
    expect(stop.status).toBe(200);
    const s = await ended(id);
    expect(s).toMatchObject({ state: "stopped", stopReason: "stopped", packets: 6, drops: 0, excluded: null });
    const file = await download(id);
    expect(statSync(join(server.dataDir, "captures", `${id}.pcapng`)).mode & 0o777).toBe(0o600);
    expect(capinfosCount(file)).toBe(6);
    const rows = tshark(file, "ip.src", "ip.dst", "icmp.type");
    expect(rows.filter((r) => r[0] === ADDR_A && r[1] === ADDR_B && r[2] === "8")).toHaveLength(3);
    expect(rows.filter((r) => r[0] === ADDR_B && r[1] === ADDR_A && r[2] === "0")).toHaveLength(3);
    expect((await auditRows("capture.download")).some((e) => e.requestId !== null && e.result === "ok")).toBe(true);
    expect((await auditRows("capture.stop")).some((e) => e.target.name === A)).toBe(true);
  }, 60_000);

  it("stops at maxPackets and says so; the file holds exactly that many TCP packets", async () => {
    const id = await start({ ns: A, link: null, filter: "tcp port 7002", maxPackets: 4 });
    await tcpRoundTrip(7002);
    const s = await ended(id);
    expect(s).toMatchObject({ state: "stopped", stopReason: "maxPackets", packets: 4 });
    const file = await download(id);
    expect(capinfosCount(file)).toBe(4);
    expect(tshark(file, "tcp.dstport", "tcp.srcport").every((r) => r.includes("7002"))).toBe(true);
    const limit = (await auditRows("capture.limit")).find((e) => e.requestId === id);
    expect(limit).toMatchObject({ result: "maxPackets", target: { name: A } });
    expect(limit?.params).toMatchObject({ packets: 4, filter: "tcp port 7002" });
  }, 60_000);

  it("stops at maxSeconds and says so", async () => {
    const id = await start({ ns: B, link: null, filter: "icmp", maxSeconds: 1 });
    const s = await ended(id);
    expect(s).toMatchObject({ state: "stopped", stopReason: "maxSeconds", packets: 0 });
  }, 30_000);

  it("refuses an invalid filter (400 with the compiler's message) and a vanished interface (409)", async () => {
    const bad = await plan({ ns: A, link: LINK_A, filter: "tcp port and" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "BAD_FILTER" });
    expect(bad.body.error?.message).toContain("syntax error");
    const gone = await plan({ ns: A, link: world.name("zz"), filter: "" });
    expect(gone.status).toBe(409);
    expect(gone.body.error).toMatchObject({ code: "NO_SUCH_LINK" });
  });

  it("an auditor lists captures but starts none and reads no packets; each refusal is an audit row", async () => {
    const list = await call<{ captures: CaptureSummary[] }>("GET", "/api/v1/captures", auditor);
    expect(list.status).toBe(200);
    const any = list.body.captures[0];
    expect(any?.startedBy.name).toBe(`${world.prefix}-op`);
    const refused = await plan({ ns: A, link: LINK_A, filter: "" }, auditor);
    expect(refused.status).toBe(403);
    const r = await fetch(`${server.url}/api/v1/captures/${any?.id}.pcapng`, {
      headers: { Authorization: `Bearer ${auditor}` },
    });
    expect(r.status).toBe(403);
    // The start is refused by the mutation guard before any plan: its row names the route.
    const denied = [...(await auditRows(PLAN_ROUTE)), ...(await auditRows("capture.download"))].filter(
      (e) => e.actor === `${world.prefix}-au` && e.result === "denied",
    );
    expect(denied.map((e) => e.action).sort()).toEqual([PLAN_ROUTE, "capture.download"]);
  });

  it("a --read-only agent and a read-only dashboard refuse a capture, as audit rows", async () => {
    expect(
      await eventually(async () => (await call("GET", `/api/v1/hosts/${RO_AGENT}/inventory`, op)).status === 200),
    ).toBe(true);
    const ro = await plan({ ns: "initial", link: "lo", filter: "" }, op, RO_AGENT);
    expect(ro.status).toBe(403);
    expect(ro.body.error).toMatchObject({ code: "AGENT_READ_ONLY" });
    const roServer = await startTestServer({ guard: { readOnly: true } });
    try {
      const r = await restClient(roServer.url)("POST", `/api/v1/hosts/${AGENT}/actions`, TEST_ADMIN_TOKEN, {
        type: "capture.start",
        params: { ns: A, link: null },
      });
      expect(r.status).toBe(403);
      const rows = [...(await roServer.audit.list(0, 1000))].filter(
        (e) => e.action === PLAN_ROUTE && e.result === "denied",
      );
      expect(rows[0]?.error).toContain("READ_ONLY_DASHBOARD");
    } finally {
      await roServer.close();
      removeDataDir(roServer.dataDir);
    }
    const rows = (await auditRows("capture.start")).filter((e) => e.target.host === RO_AGENT);
    expect(rows.some((e) => e.result === "denied" && e.error?.includes("AGENT_READ_ONLY"))).toBe(true);
  });

  it("a capture of the agent's own stack leaves out its uplink and the dashboard's port", async () => {
    const id = await start({ ns: "initial", link: "lo", filter: "icmp or tcp", maxSeconds: 3 });
    run("busybox", "ping", "-c", "2", "-i", "0.2", "127.0.0.1");
    // REST calls to the dashboard during the capture: they cross lo on the dashboard's port.
    for (let i = 0; i < 5; i += 1) await call("GET", "/api/v1/captures", op);
    const s = await ended(id);
    expect(s.excluded).toContain(`tcp port ${server.port}`);
    const file = await download(id);
    const rows = tshark(file, "tcp.srcport", "tcp.dstport", "icmp.type");
    expect(rows.filter((r) => r[2] === "8").length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => r[0] === String(server.port) || r[1] === String(server.port))).toEqual([]);
  }, 30_000);

  it("answers 409 CAPTURE_LIMIT over NSATLAS_CAPTURE_CONCURRENT and audits it", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push(await start({ ns: B, link: null, filter: "icmp", maxSeconds: 30 }));
    const over = await plan({ ns: B, link: null, filter: "icmp" });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: "CAPTURE_LIMIT" });
    expect(
      (await auditRows("capture.start")).some((e) => e.result === "rejected" && e.error?.startsWith("CAPTURE_LIMIT")),
    ).toBe(true);
    for (const id of ids) await call("DELETE", `/api/v1/captures/${id}`, op);
    expect(
      (await auditRows("capture.delete")).filter((e) =>
        ids.includes(e.requestId === null ? "" : String((e.params as { capture?: string }).capture)),
      ).length,
    ).toBe(4);
    expect(await summary(ids[0] ?? "")).toBeUndefined();
  }, 60_000);

  it("ends a running capture agent-disconnect when its agent goes away", async () => {
    const id = await start({ ns: B, link: null, filter: "icmp", maxSeconds: 60 });
    agent.child.kill("SIGKILL");
    const s = await ended(id);
    expect(s.stopReason).toBe("agent-disconnect");
  }, 30_000);
});
