import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditEvent, ConfirmResponse, Inventory, PlanResponse } from "@nsatlas/protocol";
import { World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import { type RealAgent, startRealAgent } from "./testing/real-agent.js";
import { eventually, restClient } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

// Every guarded action on real stacks, through the real server and a real agent process:
// plan (REST) → confirm with the typed name → the agent runs iproute2 → the kernel shows it.

const world = new World();
const AGENT = `${world.prefix}-agent`;
let server: RunningServer & { dataDir: string };
let agent: RealAgent;
let etc: string;
let op: string;
let call: ReturnType<typeof restClient>;

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const netnsNames = () =>
  ip("netns", "list")
    .split("\n")
    .map((l) => l.split(" ")[0]);
const quiet = (f: () => void) => {
  try {
    f();
  } catch {
    // already gone: the test removed it itself
  }
};
/** Removes a stack the API made, at cleanup (also when the test failed half-way). */
const ownStack = (name: string) => world.defer(() => quiet(() => ip("netns", "del", name)));
const ownLink = (name: string) => world.defer(() => quiet(() => ip("link", "del", name)));

async function inventory(): Promise<Inventory | null> {
  const r = await call<Inventory>("GET", `/api/v1/hosts/${AGENT}/inventory`, TEST_ADMIN_TOKEN);
  return r.status === 200 ? r.body : null;
}
const seen = (check: (inv: Inventory) => boolean) =>
  eventually(async () => {
    const inv = await inventory();
    return inv !== null && check(inv);
  });
const stackNamed = (inv: Inventory, name: string) =>
  inv.namespaces.find((n) => n.type === "net" && n.names.includes(name));

async function plan(type: string, params: unknown, token = op) {
  return call<PlanResponse & { error?: { code: string } }>("POST", `/api/v1/hosts/${AGENT}/actions`, token, {
    type,
    params,
  });
}
async function confirm(planId: string, text: string, token = op) {
  return call<ConfirmResponse & { error: { code: string; message: string } | null }>(
    "POST",
    `/api/v1/actions/${planId}/confirm`,
    token,
    {
      confirm: text,
    },
  );
}
/** Plans and confirms; expects both to be accepted and returns the outcome. */
async function act(type: string, params: unknown): Promise<ConfirmResponse> {
  const p = await plan(type, params);
  expect(p.status, JSON.stringify(p.body)).toBe(200);
  const c = await confirm(p.body.planId, p.body.confirm);
  expect(c.status, JSON.stringify(c.body)).toBe(200);
  return c.body;
}

beforeAll(async () => {
  server = await startTestServer({ guard: { planTtlMs: 4_000, actionTimeoutMs: 3_000 } });
  call = restClient(server.url);
  op = await server.tokens.create(`${world.prefix}-op`, "operator");
  etc = join(world.tmpDir(), "etc-netns");
  agent = await startRealAgent(server, world, AGENT, [
    "--interval",
    "200ms",
    "--backoff-base",
    "100ms",
    "--etc-netns-dir",
    etc,
  ]);
  expect(await seen((inv) => inv.processes.some((p) => p.pid === agent.child.pid))).toBe(true);
});
afterAll(async () => {
  await world.cleanup();
  await server?.close();
  if (server) removeDataDir(server.dataDir);
});

describe("guarded actions on real stacks", () => {
  it("netns.create: plans the exact argv, runs it once confirmed, and shows the new stack; a taken name is 409", async () => {
    const name = world.name("c1");
    ownStack(name);
    const p = await plan("netns.create", { name });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ command: ["ip", "netns", "add", name], writes: null, confirm: name });
    expect(Date.parse(p.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(netnsNames()).not.toContain(name); // a plan is a dry run
    const c = await confirm(p.body.planId, name);
    expect(c.body).toMatchObject({
      status: "succeeded",
      error: null,
      result: { exitCode: 0, command: ["ip", "netns", "add", name] },
    });
    expect(c.body.result?.stacks.some((s) => s.names.includes(name))).toBe(true);
    expect(netnsNames()).toContain(name);
    expect((await plan("netns.create", { name })).body.error?.code).toBe("NAME_TAKEN");
  });

  it("netns.delete: refused (409, listing them) while processes are inside unless forced; removes an empty stack", async () => {
    const empty = world.netnsAdd("d1").name;
    const busy = world.netnsAdd("d2").name;
    const sleeper = await world.spawn(["ip", "netns", "exec", busy, "sleep", "1000"], { comm: "sleep" });
    expect(await seen((inv) => !!stackNamed(inv, empty) && !!stackNamed(inv, busy)?.pids.includes(sleeper.pid))).toBe(
      true,
    );
    const refused = await plan("netns.delete", { name: busy });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "STACK_IN_USE" });
    expect(JSON.stringify(refused.body)).toContain(String(sleeper.pid));
    const forced = await plan("netns.delete", { name: busy, force: true });
    expect(forced.body.impact.processes.map((x) => x.pid)).toContain(sleeper.pid);
    expect((await confirm(forced.body.planId, busy)).body.status).toBe("succeeded");
    expect(netnsNames()).not.toContain(busy);
    expect(existsSync(`/proc/${sleeper.pid}`)).toBe(true); // its stack lives on, unnamed
    expect((await act("netns.delete", { name: empty })).status).toBe("succeeded");
    expect(netnsNames()).not.toContain(empty);
  });

  it("veth.create, link.setState, addr.add/del and link.move on a named stack", async () => {
    const stack = world.netnsAdd("v").name;
    const [va, vb] = [world.name("va"), world.name("vb")];
    ownLink(va);
    ownLink(vb);
    expect(await seen((inv) => !!stackNamed(inv, stack))).toBe(true);
    const veth = await act("veth.create", { a: { ns: "initial", name: va }, b: { ns: stack, name: vb } });
    expect(veth.result?.command).toEqual([
      "ip",
      "link",
      "add",
      "name",
      va,
      "type",
      "veth",
      "peer",
      "name",
      vb,
      "netns",
      stack,
    ]);
    expect(ip("link", "show", "dev", va)).toContain(va);
    expect(ip("-n", stack, "link", "show", "dev", vb)).toContain(vb);
    expect(
      (await plan("veth.create", { a: { ns: "initial", name: va }, b: { ns: stack, name: world.name("vx") } })).body
        .error?.code,
    ).toBe("LINK_EXISTS");

    expect((await act("link.setState", { ns: stack, link: vb, up: true })).status).toBe("succeeded");
    expect(ip("-n", stack, "link", "show", "dev", vb)).toMatch(/[<,]UP[,>]/);
    expect((await plan("link.setState", { ns: stack, link: "nope0", up: true })).status).toBe(404);

    expect((await act("addr.add", { ns: stack, link: vb, address: "10.254.77.1/24" })).status).toBe("succeeded");
    expect(ip("-n", stack, "addr", "show", "dev", vb)).toContain("10.254.77.1/24");
    expect((await plan("addr.add", { ns: stack, link: vb, address: "10.254.77.1/24" })).status).toBe(409);
    expect((await act("addr.del", { ns: stack, link: vb, address: "10.254.77.1/24" })).status).toBe("succeeded");
    expect(ip("-n", stack, "addr", "show", "dev", vb)).not.toContain("10.254.77.1");
    expect(await seen((inv) => !JSON.stringify(inv.netstacks).includes("10.254.77.1"))).toBe(true);
    expect((await plan("addr.del", { ns: stack, link: vb, address: "10.254.77.1/24" })).status).toBe(404);

    const move = await plan("link.move", { ns: stack, link: vb, to: "initial" });
    expect(move.body.command).toEqual(["ip", "-n", stack, "link", "set", "dev", vb, "netns", "1"]);
    expect(move.body.impact.links).toEqual([expect.objectContaining({ name: vb, to: expect.stringMatching(/^net:/) })]);
    expect((await confirm(move.body.planId, vb)).body.status).toBe("succeeded");
    expect(ip("link", "show", "dev", vb)).toContain(vb);
    expect((await act("link.move", { ns: "initial", link: vb, to: stack })).status).toBe("succeeded");
    expect(ip("-n", stack, "link", "show", "dev", vb)).toContain(vb);
    expect((await plan("link.move", { ns: stack, link: "lo", to: "initial" })).body.error?.code).toBe(
      "LINK_NETNS_LOCAL",
    );
  });

  it("reaches an unnamed stack (net:<inode>) through a holder with nsenter, never by naming it", async () => {
    const holder = await world.spawn(["unshare", "--net", "sleep", "1000"], { comm: "sleep" });
    const inode = Number(
      /\[(\d+)\]/.exec(execFileSync("readlink", [`/proc/${holder.pid}/ns/net`], { encoding: "utf8" }))?.[1],
    );
    const id = `net:${inode}`;
    expect(await seen((inv) => inv.namespaces.some((n) => n.id === id))).toBe(true);
    const ours = netnsNames().filter((n) => n?.startsWith(world.prefix));
    const [ua, ub] = [world.name("ua"), world.name("ub")];
    ownLink(ua);
    const veth = await act("veth.create", { a: { ns: "initial", name: ua }, b: { ns: id, name: ub } });
    expect(veth.result?.command?.at(-1)).toMatch(/^\/proc\/\d+\/ns\/net$/);
    const up = await plan("link.setState", { ns: id, link: ub, up: true });
    expect(up.body.command?.slice(0, 2)).toEqual(["nsenter", `--net=/proc/${holder.pid}/ns/net`]);
    expect((await confirm(up.body.planId, ub)).body.status).toBe("succeeded");
    expect(
      execFileSync("nsenter", [`--net=/proc/${holder.pid}/ns/net`, "ip", "link", "show", "dev", ub], {
        encoding: "utf8",
      }),
    ).toMatch(/UP/);
    expect(netnsNames().filter((n) => n?.startsWith(world.prefix))).toEqual(ours); // no name was attached
  });

  it("netns.pin.remove frees a leaked stack held only by a pin in another mount namespace", async () => {
    // The classic leak: a stack pinned inside a private mount namespace outlives the process
    // that made it; nothing on the host's /run/netns names it, and no process is in it.
    const mntHolder = await world.spawn(["unshare", "--mount", "--propagation", "private", "sleep", "1000"], {
      comm: "sleep",
    });
    const maker = await world.spawn(["unshare", "--net", "sleep", "1000"], { comm: "sleep" });
    const inode = statSync(`/proc/${maker.pid}/ns/net`).ino;
    const mntId = `mnt:${statSync(`/proc/${mntHolder.pid}/ns/mnt`).ino}`;
    const pin = join(world.tmpDir(), "pin");
    writeFileSync(pin, "");
    execFileSync("nsenter", [
      `--mount=/proc/${mntHolder.pid}/ns/mnt`,
      "mount",
      "--bind",
      `/proc/${maker.pid}/ns/net`,
      pin,
    ]);
    maker.child.kill("SIGKILL");
    const id = `net:${inode}`;
    const leaked = (inv: Inventory) =>
      inv.netstacks?.some((s) => s.ns === id) === true &&
      inv.namespaces.some(
        (n) =>
          n.id === id &&
          n.pids.length === 0 &&
          n.holders.some((h) => h.kind === "bindmount" && h.path === pin && h.mountNs === mntId),
      );
    expect(await seen(leaked)).toBe(true);
    const p = await plan("netns.pin.remove", { ns: id, path: pin, mountNs: mntId });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.command).toEqual(["nsenter", `--mount=/proc/${mntHolder.pid}/ns/mnt`, "umount", "--", pin]);
    expect(p.body.confirm).toBe(id);
    expect(p.body.impact.notes.join(" ")).toMatch(/destroys it/);
    const c = await confirm(p.body.planId, id);
    expect(c.body.status, JSON.stringify(c.body)).toBe("succeeded");
    expect(readFileSync(`/proc/${mntHolder.pid}/mountinfo`, "utf8")).not.toContain(pin);
    expect(await seen((inv) => !inv.namespaces.some((n) => n.id === id))).toBe(true);
    const again = await plan("netns.pin.remove", { ns: id, path: pin, mountNs: mntId });
    expect(again.status).toBe(404);
  });

  it("netns.file.write and netns.file.delete under the agent's /etc/netns root", async () => {
    const stack = world.netnsAdd("f").name;
    expect(await seen((inv) => !!stackNamed(inv, stack))).toBe(true);
    const content = "nameserver 10.254.0.53\n";
    const w = await plan("netns.file.write", { name: stack, file: "resolv.conf", content });
    expect(w.body).toMatchObject({ command: null, writes: `/etc/netns/${stack}/resolv.conf` });
    const done = await confirm(w.body.planId, stack);
    expect(done.body).toMatchObject({ status: "succeeded", result: { writes: join(etc, stack, "resolv.conf") } });
    expect(readFileSync(join(etc, stack, "resolv.conf"), "utf8")).toBe(content);
    const stackId = (inv: Inventory) => stackNamed(inv, stack)?.id;
    expect(
      await seen((inv) => inv.netstacks?.find((s) => s.ns === stackId(inv))?.files["resolv.conf"] === content),
    ).toBe(true);
    expect((await plan("netns.file.write", { name: world.name("nofile"), file: "hosts", content })).status).toBe(404);
    expect(
      (await plan("netns.file.write", { name: stack, file: "hosts", content: "x".repeat(64 * 1024 + 1) })).status,
    ).toBe(400);
    expect((await act("netns.file.delete", { name: stack, file: "resolv.conf" })).status).toBe("succeeded");
    expect(existsSync(join(etc, stack, "resolv.conf"))).toBe(false);
    expect(
      await seen((inv) => inv.netstacks?.find((s) => s.ns === stackId(inv))?.files["resolv.conf"] === undefined),
    ).toBe(true);
    expect((await plan("netns.file.delete", { name: stack, file: "resolv.conf" })).status).toBe(404);
  });

  it("reports a command the kernel refuses as failed, with iproute2's message", async () => {
    const taken = world.name("kx");
    const p = await plan("veth.create", {
      a: { ns: "initial", name: taken },
      b: { ns: "initial", name: world.name("ky") },
    });
    ownLink(taken);
    // Made behind nsatlas's back, after the plan (a veth: this kernel may have no dummy driver).
    ip("link", "add", taken, "type", "veth", "peer", "name", world.name("kz"));
    const c = await confirm(p.body.planId, taken);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: "failed", result: { exitCode: 2 }, error: { code: "COMMAND_FAILED" } });
    expect(c.body.error?.message).toMatch(/File exists/);
  });

  it("refuses, at the agent or the hub, a plan whose stack vanished before it was confirmed", async () => {
    const stack = world.netnsAdd("k").name;
    expect(await seen((inv) => !!stackNamed(inv, stack))).toBe(true);
    const p = await plan("netns.delete", { name: stack });
    ip("netns", "del", stack); // gone behind nsatlas's back, between plan and confirm
    const c = await confirm(p.body.planId, stack);
    // Either the agent refuses (its pin is gone) or the hub saw the change first (409).
    expect([200, 409]).toContain(c.status);
    if (c.status === 200) expect(c.body).toMatchObject({ status: "failed", error: { code: "TARGET_CHANGED" } });
  });
});

describe("plans are single-use, bound to their user, and expire", () => {
  it("answers 400 to a wrong confirmation (plan kept), 404 to another user, 409 to a replay", async () => {
    const name = world.name("r1");
    ownStack(name);
    const p = await plan("netns.create", { name });
    expect((await confirm(p.body.planId, `${name}x`)).status).toBe(400);
    const other = await server.tokens.create(`${world.prefix}-op2`, "operator");
    expect((await confirm(p.body.planId, name, other)).status).toBe(404);
    expect((await confirm(p.body.planId, name)).body.status).toBe("succeeded");
    const replay = await confirm(p.body.planId, name);
    expect(replay.status).toBe(409);
    expect(replay.body.error).toMatchObject({ code: "PLAN_USED" });
    expect((await confirm("00000000-0000-0000-0000-000000000000", name)).status).toBe(404);
  });

  it("answers 409 once NSATLAS_PLAN_TTL has passed", async () => {
    const name = world.name("e1");
    const p = await plan("netns.create", { name });
    await new Promise((r) => setTimeout(r, 4_200));
    const late = await confirm(p.body.planId, name);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: "PLAN_EXPIRED" });
    expect(netnsNames()).not.toContain(name);
  });

  it("answers 504 when the agent does not answer in time, 503 when it is offline; both are audit rows", async () => {
    const id = `${world.prefix}-slow`;
    const slow = await startRealAgent(server, world, id, ["--interval", "200ms"]);
    expect(await eventually(async () => (await call("GET", `/api/v1/hosts/${id}/inventory`, op)).status === 200)).toBe(
      true,
    );
    const name = world.name("t1");
    ownStack(name);
    const p1 = await call<PlanResponse>("POST", `/api/v1/hosts/${id}/actions`, op, {
      type: "netns.create",
      params: { name },
    });
    slow.child.kill("SIGSTOP");
    const t = await confirm(p1.body.planId, name);
    expect(t.status).toBe(504);
    slow.child.kill("SIGCONT"); // it then runs the action and answers late: recorded
    expect(await eventually(() => netnsNames().includes(name))).toBe(true);
    const lateRow = async () => {
      const { body } = await call<{ events: AuditEvent[] }>("GET", "/api/v1/audit?limit=1000", TEST_ADMIN_TOKEN);
      return body.events.some((e) => e.target.host === id && e.result === "late-succeeded");
    };
    expect(await eventually(lateRow)).toBe(true);
    const p2 = await call<PlanResponse>("POST", `/api/v1/hosts/${id}/actions`, op, {
      type: "netns.create",
      params: { name: world.name("t2") },
    });
    slow.child.kill("SIGKILL");
    expect(await eventually(async () => (await confirm(p2.body.planId, world.name("t2"))).status === 503)).toBe(true);
    const audit = await call<{ events: AuditEvent[] }>("GET", "/api/v1/audit?limit=1000", TEST_ADMIN_TOKEN);
    const rows = audit.body.events
      .filter((e) => e.target.host === id && e.action === "netns.create")
      .map((e) => e.result);
    expect(rows).toEqual(expect.arrayContaining(["requested", "timeout", "late-succeeded"]));
  }, 30_000);
});

describe("the audit trail of actions", () => {
  it("writes the request row before the outcome row, with one requestId and the plan's hash; the chain verifies", async () => {
    const name = world.name("a1");
    ownStack(name);
    const p = await plan("netns.create", { name });
    await confirm(p.body.planId, name);
    const { body } = await call<{ events: AuditEvent[] }>("GET", "/api/v1/audit?since=0&limit=1000", TEST_ADMIN_TOKEN);
    const mine = body.events.filter((e) => e.planHash === p.body.planHash);
    expect(mine.map((e) => e.result)).toEqual(["planned", "requested", "succeeded"]);
    expect(mine[1]?.requestId).toBe(mine[2]?.requestId);
    expect(mine[1]?.seq).toBeLessThan(mine[2]?.seq ?? 0);
    expect(mine[1]).toMatchObject({ actor: `${world.prefix}-op`, role: "operator", target: { host: AGENT, name } });
    expect((await call("GET", "/api/v1/audit/verify", TEST_ADMIN_TOKEN)).body).toMatchObject({ ok: true });
    expect((await call("GET", "/api/v1/audit?limit=1001", TEST_ADMIN_TOKEN)).status).toBe(400);
    expect((await call("GET", "/api/v1/audit", op)).status).toBe(403);
  });

  it("records when the stack appeared and disappeared, and answers 'as of T'", async () => {
    const from = Date.now();
    const name = world.name("h1");
    ownStack(name);
    await act("netns.create", { name });
    const created = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    await act("netns.delete", { name });
    const h = await call<{ events: Array<{ change: string; kind: string; label: string }> }>(
      "GET",
      `/api/v1/hosts/${AGENT}/history?from=${from}`,
      TEST_ADMIN_TOKEN,
    );
    const names = h.body.events.filter((e) => e.kind === "name" && e.label.includes(name)).map((e) => e.change);
    expect(names).toEqual(["appeared", "disappeared"]);
    const at = await call<{ namespaces: Array<{ names: string[] }> }>(
      "GET",
      `/api/v1/hosts/${AGENT}/inventory?at=${created}`,
      op,
    );
    expect(at.body.namespaces.some((n) => n.names.includes(name))).toBe(true);
    const report = await call<string>("GET", `/api/v1/hosts/${AGENT}/report?from=${from}&format=csv`, TEST_ADMIN_TOKEN);
    expect(report.body).toContain("section,at,kind,change,key,namespace,detail");
    expect(report.body).toContain("netns.delete");
  });
});
