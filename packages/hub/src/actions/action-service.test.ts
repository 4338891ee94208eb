import type { ActionFrame, AuditEvent, HelloFrame } from "@nsatlas/protocol";
import { ACTIONS_CAPABILITY } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import type { AuditInput, AuditSink } from "../audit/audit-log.js";
import { type Credential, FleetStore } from "../fleet-store.js";
import { testHost } from "../test-host.js";
import { ActionError } from "./action-error.js";
import { type ActionRequestMeta, ActionService } from "./action-service.js";

class MemoryAudit implements AuditSink {
  rows: AuditInput[] = [];
  append(e: AuditInput): AuditEvent {
    this.rows.push(e);
    return {} as AuditEvent;
  }
}

function setup(
  o: { readOnly?: boolean; hello?: Partial<HelloFrame>; credential?: Credential; timeoutMs?: number } = {},
) {
  let now = 1_000_000;
  const fleet = new FleetStore({ now: () => now });
  const audit = new MemoryAudit();
  const sent: ActionFrame[] = [];
  let answer: ((f: ActionFrame) => void) | null = null;
  const service: ActionService = new ActionService({
    fleet,
    audit,
    readOnly: o.readOnly ?? false,
    planTtlMs: 60_000,
    timeoutMs: o.timeoutMs ?? 1_000,
    now: () => now,
    send: (_host, frame) => {
      sent.push(frame);
      // The request row must already be there when the frame leaves.
      expect(audit.rows.at(-1)?.result).toBe("requested");
      answer?.(frame);
      return true;
    },
  });
  const s = fleet.openSession(o.credential ?? { kind: "agent-token", agentId: "h1" });
  fleet.receive(s, {
    type: "hello",
    protocol: 1,
    agentId: "h1",
    hostname: "h1",
    bootId: "b",
    version: "t",
    readOnly: false,
    capabilities: [ACTIONS_CAPABILITY],
    ...o.hello,
  });
  fleet.receive(s, { type: "snapshot", epoch: "e", seq: 1, inventory: testHost() });
  const succeed = (f: ActionFrame) =>
    queueMicrotask(() =>
      service.dispatcher.receive("h1", {
        type: "action-result",
        requestId: f.requestId,
        status: "succeeded",
        command: f.command,
        writes: f.writes,
        exitCode: 0,
        stdout: "",
        stderr: "",
        durationMs: 3,
        error: null,
      }),
    );
  return {
    service,
    audit,
    sent,
    advance: (ms: number) => (now += ms),
    autoAnswer: (on: boolean) => (answer = on ? succeed : null),
    /** Answers success, reporting what `reported` makes of the frame (an agent that ran something else). */
    answerAs: (reported: (f: ActionFrame) => ActionFrame) => (answer = (f) => succeed(reported(f))),
  };
}

let n = 0;
const meta = (name = "olga", role: ActionRequestMeta["actor"]["role"] = "operator"): ActionRequestMeta => ({
  actor: { name, role },
  sourceIp: "127.0.0.1",
  requestId: `req-${++n}`,
});
const create = { type: "netns.create", params: { name: "red" } };
const codeAsync = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (err: unknown) => (err instanceof ActionError ? `${err.kind} ${err.code}` : Promise.reject(err)),
  );

describe("ActionService", () => {
  it("records a mismatch when the agent reports another command than the plan's", async () => {
    const t = setup();
    t.answerAs((f) => ({ ...f, command: ["ip", "netns", "del", "red"] }));
    const plan = await t.service.plan(meta(), "h1", create);
    await t.service.confirm(meta(), plan.planId, { confirm: "red" });
    expect(t.audit.rows.map((r) => r.result)).toEqual(["planned", "requested", "succeeded"]);
    expect(t.audit.rows[2]?.error).toBe(
      'COMMAND_MISMATCH: the agent reports ["ip","netns","del","red"], the plan was ["ip","netns","add","red"]',
    );
  });

  it("plans, then runs only on the owner's confirmation with the typed name, once", async () => {
    const t = setup();
    t.autoAnswer(true);
    const plan = await t.service.plan(meta(), "h1", create);
    expect(plan).toMatchObject({ command: ["ip", "netns", "add", "red"], confirm: "red", type: "netns.create" });
    expect(await codeAsync(t.service.confirm(meta(), plan.planId, { confirm: "blue" }))).toBe(
      "invalid CONFIRM_MISMATCH",
    );
    expect(await codeAsync(t.service.confirm(meta("mallory"), plan.planId, { confirm: "red" }))).toBe(
      "not-found NO_SUCH_PLAN",
    );
    const done = await t.service.confirm(meta(), plan.planId, { confirm: "red" });
    expect(done).toMatchObject({ status: "succeeded", error: null, result: { exitCode: 0 } });
    expect(t.sent).toHaveLength(1);
    expect(await codeAsync(t.service.confirm(meta(), plan.planId, { confirm: "red" }))).toBe("conflict PLAN_USED");
    // Every refused confirm is a row too: wrong text, another user's plan, the replay.
    const results = t.audit.rows.map((r) => `${r.result}${r.error ? ` ${r.error.split(":")[0]}` : ""}`);
    expect(results).toEqual([
      "planned",
      "denied CONFIRM_MISMATCH",
      "denied NO_SUCH_PLAN",
      "requested",
      "succeeded",
      "denied PLAN_USED",
    ]);
    expect(t.audit.rows[2]?.actor).toBe("mallory");
    const [, , , req, out] = t.audit.rows;
    expect(req?.requestId).toBe(out?.requestId);
  });

  it("expires plans after the TTL (409)", async () => {
    const t = setup();
    const plan = await t.service.plan(meta(), "h1", create);
    t.advance(60_001);
    expect(await codeAsync(t.service.confirm(meta(), plan.planId, { confirm: "red" }))).toBe("conflict PLAN_EXPIRED");
    expect(t.sent).toHaveLength(0);
    expect(t.audit.rows.at(-1)).toMatchObject({ action: "action.confirm", result: "denied" });
    expect(t.audit.rows.at(-1)?.error).toMatch(/^PLAN_EXPIRED/);
  });

  it("refuses auditors and a read-only dashboard with 403 and an audit row", async () => {
    const t = setup();
    expect(await codeAsync(t.service.plan(meta("audrey", "auditor"), "h1", create))).toBe("forbidden ROLE_READ_ONLY");
    const ro = setup({ readOnly: true });
    expect(await codeAsync(ro.service.plan(meta("admin", "admin"), "h1", create))).toBe(
      "forbidden READ_ONLY_DASHBOARD",
    );
    expect([...t.audit.rows, ...ro.audit.rows].map((r) => r.result)).toEqual(["denied", "denied"]);
  });

  it("refuses read-only agents, fleet-token hosts and agents without the capability", async () => {
    expect(
      await codeAsync(setup({ hello: { readOnly: true, capabilities: [] } }).service.plan(meta(), "h1", create)),
    ).toBe("forbidden AGENT_READ_ONLY");
    expect(await codeAsync(setup({ credential: { kind: "fleet-token" } }).service.plan(meta(), "h1", create))).toBe(
      "forbidden VIEW_ONLY_HOST",
    );
    expect(await codeAsync(setup({ hello: { capabilities: [] } }).service.plan(meta(), "h1", create))).toBe(
      "forbidden NO_ACTION_CAPABILITY",
    );
    expect(setup({ hello: { readOnly: true } }).service.policy("operator", "h1")).toMatchObject({ mayAct: false });
  });

  it("answers 400 for hostile params and records the attempt, sending nothing", async () => {
    const t = setup();
    for (const name of ["; rm -rf /", "../x", "1234", "ünï", "", "x".repeat(10_240)]) {
      expect(await codeAsync(t.service.plan(meta(), "h1", { type: "netns.create", params: { name } }))).toBe(
        "invalid BAD_PARAMS",
      );
    }
    expect(t.audit.rows.every((r) => r.result === "invalid")).toBe(true);
    expect(t.sent).toEqual([]);
  });

  it("times out (504) when the agent does not answer, and records a late answer", async () => {
    const t = setup({ timeoutMs: 20 });
    const plan = await t.service.plan(meta(), "h1", create);
    expect(await codeAsync(t.service.confirm(meta(), plan.planId, { confirm: "red" }))).toBe("timeout AGENT_TIMEOUT");
    const frame = t.sent[0] as ActionFrame;
    t.service.dispatcher.receive("h1", {
      type: "action-result",
      requestId: frame.requestId,
      status: "succeeded",
      command: frame.command,
      writes: null,
      exitCode: 0,
      stdout: "",
      stderr: "",
      durationMs: 40,
      error: null,
    });
    expect(t.audit.rows.map((r) => r.result)).toEqual(["planned", "requested", "timeout", "late-succeeded"]);
  });
});
