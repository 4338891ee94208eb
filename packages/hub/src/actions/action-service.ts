import {
  Action,
  type ActionFrame,
  type ActionOutcome,
  type ActionPolicy,
  type ActionResultFrame,
  ConfirmRequest,
  type ConfirmResponse,
  confirmText,
  firstIssue,
  type Inventory,
  type PlanResponse,
} from "@nsatlas/protocol";
import type { AuditInput, AuditSink } from "../audit/audit-log.js";
import type { CaptureService } from "../capture/capture-service.js";
import type { FleetStore, HostRecord } from "../fleet-store.js";
import { type PlanStorage, settle } from "../storage.js";
import type { Role } from "../token-store.js";
import { mutationDenial } from "./access-policy.js";
import { ActionDispatcher, type ActionSender } from "./action-dispatcher.js";
import { ActionError } from "./action-error.js";
import { auditParams, reportedMismatch, stackStates } from "./action-outcome.js";
import { hostRefusal } from "./host-refusal.js";
import { PlanStore, type StoredPlan } from "./plan-store.js";
import { type PlannedAction, planAction } from "./planner.js";

/** Who asks, from where, in which request (for the audit log). */
export interface ActionRequestMeta {
  actor: { name: string; role: Role };
  sourceIp: string | null;
  requestId: string;
}

export interface ActionServiceOptions {
  fleet: FleetStore;
  audit: AuditSink;
  send: ActionSender;
  /** NSATLAS_READ_ONLY: the whole dashboard refuses to act. */
  readOnly: boolean;
  planTtlMs: number;
  /** How long a confirmed action waits for the agent before a timeout (NSATLAS_ACTION_TIMEOUT; REST 504). */
  timeoutMs: number;
  now?: () => number;
  /** Where plans wait for confirmation (default: in this process's memory). */
  plans?: PlanStorage;
  /** Told how each action ended (for the nsatlas_actions_total metric). */
  onOutcome?: (result: "succeeded" | "failed" | "refused" | "timeout") => void;
  /** Captures: capture.start is refused without them. */
  captures?: Pick<CaptureService, "checkLimit" | "begin" | "started">;
}

/** Plan → confirm → execute. Every step that is refused, and every request and its outcome,
 * is an audit row; the request row is written before the frame leaves (no row, no action). */
export class ActionService {
  readonly plans: PlanStorage;
  readonly dispatcher: ActionDispatcher;
  readonly #late = new Map<string, { plan: StoredPlan; meta: ActionRequestMeta }>();

  constructor(private readonly o: ActionServiceOptions) {
    this.plans = o.plans ?? new PlanStore({ ttlMs: o.planTtlMs, ...(o.now ? { now: o.now } : {}) });
    this.dispatcher = new ActionDispatcher({ send: o.send, onLate: (id, r) => this.#recordLate(id, r) });
  }

  #row(meta: ActionRequestMeta, e: Omit<AuditInput, "actor" | "role" | "sourceIp" | "requestId">): AuditInput {
    return { actor: meta.actor.name, role: meta.actor.role, sourceIp: meta.sourceIp, requestId: meta.requestId, ...e };
  }

  async #audit(meta: ActionRequestMeta, e: Omit<AuditInput, "actor" | "role" | "sourceIp" | "requestId">) {
    return await this.o.audit.append(this.#row(meta, e));
  }

  async #deny(
    meta: ActionRequestMeta,
    action: string,
    target: AuditInput["target"],
    code: string,
    message: string,
  ): Promise<never> {
    await this.#audit(meta, { action, target, result: "denied", error: `${code}: ${message}` });
    this.o.onOutcome?.("refused");
    throw new ActionError("forbidden", code, message);
  }

  /** The host, if it can take an action from this principal now; throws otherwise. */
  async #actionableHost(
    meta: ActionRequestMeta,
    hostId: string,
    action: string,
  ): Promise<HostRecord & { inventory: Inventory }> {
    const denial = mutationDenial(meta.actor.role, this.o.readOnly);
    if (denial) await this.#deny(meta, action, { host: hostId }, denial.code, denial.message);
    const host = this.o.fleet.host(hostId);
    if (!host) throw new ActionError("not-found", "NO_SUCH_HOST", `no host ${JSON.stringify(hostId)}`);
    const refusal = hostRefusal(host);
    if (refusal) await this.#deny(meta, action, { host: hostId }, refusal.code, refusal.message);
    if (this.o.fleet.stateOf(host) !== "connected") {
      throw new ActionError("unavailable", "AGENT_OFFLINE", `the agent of ${hostId} is not connected`);
    }
    if (!host.inventory) throw new ActionError("unavailable", "NO_INVENTORY", `${hostId} has sent no inventory yet`);
    return host as HostRecord & { inventory: Inventory };
  }

  /** What the UI shows: may this principal act on this host, and if not, why. */
  policy(role: Role, hostId: string | null): ActionPolicy {
    const denial = mutationDenial(role, this.o.readOnly);
    if (denial) return { mayAct: false, reason: denial.message };
    if (hostId === null) return { mayAct: true, reason: null };
    const host = this.o.fleet.host(hostId);
    if (!host) return { mayAct: false, reason: "unknown host" };
    const refusal = hostRefusal(host);
    if (refusal) return { mayAct: false, reason: refusal.message };
    if (this.o.fleet.stateOf(host) !== "connected") return { mayAct: false, reason: "the agent is not connected" };
    return { mayAct: true, reason: null };
  }

  /** A dry run of `body` ({type, params}) on a host, kept for confirmation. */
  async plan(meta: ActionRequestMeta, hostId: string, body: unknown): Promise<PlanResponse> {
    const rawType = (body as { type?: unknown } | null)?.type;
    const typeName = typeof rawType === "string" && /^[a-zA-Z.]{1,32}$/.test(rawType) ? rawType : "action";
    const host = await this.#actionableHost(meta, hostId, typeName);
    const parsed = Action.safeParse(body);
    if (!parsed.success) {
      const message = firstIssue(parsed.error);
      await this.#audit(meta, {
        action: typeName,
        target: { host: hostId },
        result: "invalid",
        error: `BAD_PARAMS: ${message}`,
      });
      throw new ActionError("invalid", "BAD_PARAMS", message);
    }
    const action = parsed.data;
    let planned: PlannedAction;
    try {
      if (action.type === "capture.start") {
        if (!this.o.captures) throw new ActionError("unavailable", "NO_CAPTURE", "this hub runs no captures");
        this.o.captures.checkLimit(hostId);
      }
      planned = planAction(host.inventory, action);
    } catch (err) {
      if (err instanceof ActionError) {
        await this.#audit(meta, {
          action: action.type,
          target: { host: hostId },
          params: auditParams(action),
          result: "rejected",
          error: `${err.code}: ${err.message}`,
        });
      }
      throw err;
    }
    const plan = await this.plans.add({ owner: meta.actor.name, hostId, action, ...planned });
    await this.#audit(meta, {
      action: action.type,
      target: { host: hostId, namespace: planned.impact.stacks[0] ?? null, name: confirmText(action) },
      params: auditParams(action),
      planHash: plan.planHash,
      result: "planned",
    });
    return {
      planId: plan.id,
      summary: plan.summary,
      command: plan.command,
      writes: plan.writes,
      impact: plan.impact,
      confirm: plan.confirm,
      expiresAt: new Date(plan.expiresAt).toISOString(),
      hostId,
      type: action.type,
      planHash: plan.planHash,
    };
  }

  /** The plan a confirm names, if this user typed its text before it expired and it was not
   * used; every refusal (wrong text, another user's plan, replay, expired) is an audit row. */
  async #checkConfirm(meta: ActionRequestMeta, planId: string, body: unknown): Promise<StoredPlan> {
    try {
      const parsed = ConfirmRequest.safeParse(body);
      if (!parsed.success) throw new ActionError("invalid", "BAD_REQUEST", 'expected {"confirm": "<name>"}');
      return await this.plans.check(planId, meta.actor.name, parsed.data.confirm);
    } catch (err) {
      if (err instanceof ActionError) {
        await this.#audit(meta, {
          action: "action.confirm",
          target: { name: planId },
          result: "denied",
          error: `${err.code}: ${err.message}`,
        });
        this.o.onOutcome?.("refused");
      }
      throw err;
    }
  }

  /** Confirms a plan with the typed text and runs it on the host's agent. */
  async confirm(meta: ActionRequestMeta, planId: string, body: unknown): Promise<ConfirmResponse> {
    const denial = mutationDenial(meta.actor.role, this.o.readOnly);
    if (denial) await this.#deny(meta, "action.confirm", { name: planId }, denial.code, denial.message);
    const plan = await this.#checkConfirm(meta, planId, body);
    const host = await this.#actionableHost(meta, plan.hostId, plan.action.type);
    const target = { host: plan.hostId, namespace: plan.impact.stacks[0] ?? null, name: confirmText(plan.action) };
    // The plan must still describe what would run: a stack renamed or a holder gone since makes
    // another command, and the user confirmed this one.
    let again: PlannedAction | null = null;
    let why = "";
    try {
      again = planAction(host.inventory, plan.action);
    } catch (err) {
      if (!(err instanceof ActionError)) throw err;
      why = err.message;
    }
    // Single use across replicas: the one that flips `used` runs it; the others answer 409.
    if (!(await this.plans.consume(plan))) {
      await this.#audit(meta, {
        action: "action.confirm",
        target: { name: planId },
        result: "denied",
        error: "PLAN_USED: this plan was already confirmed: plan again",
      });
      this.o.onOutcome?.("refused");
      throw new ActionError("conflict", "PLAN_USED", "this plan was already confirmed: plan again");
    }
    if (
      again === null ||
      JSON.stringify([again.command, again.writes]) !== JSON.stringify([plan.command, plan.writes])
    ) {
      const message = `the host changed since the plan${why ? ` (${why})` : ""}: plan again`;
      await this.#audit(meta, {
        action: plan.action.type,
        target,
        planHash: plan.planHash,
        result: "rejected",
        error: `PLAN_OUTDATED: ${message}`,
      });
      throw new ActionError("conflict", "PLAN_OUTDATED", message);
    }
    if (plan.action.type === "capture.start") this.#beginCapture(meta, plan, target);
    // No row, no action: if this append throws, the frame is never sent.
    await this.#audit(meta, {
      action: plan.action.type,
      target,
      params: auditParams(plan.action),
      planHash: plan.planHash,
      result: "requested",
    });
    const frame: ActionFrame = {
      type: "action",
      requestId: meta.requestId,
      action: plan.action,
      targets: plan.targets,
      command: plan.command,
      writes: plan.writes,
    };
    let result: ActionResultFrame;
    try {
      this.#late.set(meta.requestId, { plan, meta });
      if (this.#late.size > 1000) this.#late.delete(this.#late.keys().next().value ?? "");
      result = await this.dispatcher.dispatch(plan.hostId, frame, this.o.timeoutMs);
    } catch (err) {
      if (err instanceof ActionError) {
        this.o.captures?.started(meta.requestId, null, err.message);
        const outcome = err.kind === "timeout" ? "timeout" : "failed";
        await this.#audit(meta, {
          action: plan.action.type,
          target,
          planHash: plan.planHash,
          result: outcome,
          error: `${err.code}: ${err.message}`,
        });
        this.o.onOutcome?.(outcome);
      }
      throw err;
    }
    this.#late.delete(meta.requestId);
    await this.#audit(meta, {
      action: plan.action.type,
      target,
      planHash: plan.planHash,
      params: {
        command: result.command,
        writes: result.writes,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
      },
      result: result.status,
      error: resultError(plan, result),
    });
    this.o.onOutcome?.(result.status === "succeeded" ? "succeeded" : "failed");
    const names = plan.action.type === "netns.create" ? [plan.action.params.name] : [];
    const outcome: ActionOutcome = {
      requestId: result.requestId,
      command: result.command,
      writes: result.writes,
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      durationMs: result.durationMs,
      stacks: stackStates(this.o.fleet.host(plan.hostId)?.inventory ?? null, plan.impact.stacks, names),
    };
    const capture = plan.action.type === "capture.start" ? this.o.captures?.started(meta.requestId, result) : null;
    if (capture) outcome.capture = capture;
    return { status: result.status === "succeeded" ? "succeeded" : "failed", result: outcome, error: result.error };
  }

  /** The capture's record exists before its frame leaves; over the limit it is an audit row. */
  #beginCapture(meta: ActionRequestMeta, plan: StoredPlan, target: AuditInput["target"]): void {
    try {
      if (!this.o.captures) throw new ActionError("unavailable", "NO_CAPTURE", "this hub runs no captures");
      this.o.captures.begin(meta, plan);
    } catch (err) {
      if (err instanceof ActionError)
        this.#audit(meta, {
          action: plan.action.type,
          target,
          planHash: plan.planHash,
          result: "rejected",
          error: `${err.code}: ${err.message}`,
        });
      throw err;
    }
  }

  #recordLate(requestId: string, r: ActionResultFrame): void {
    const ctx = this.#late.get(requestId);
    if (!ctx) return;
    this.#late.delete(requestId);
    // A late answer arrives on its own frame: an embedded log's failure throws into the
    // frame's handler (which closes the socket, 1011); a later one is reported.
    const row = this.#row(ctx.meta, {
      action: ctx.plan.action.type,
      target: {
        host: ctx.plan.hostId,
        namespace: ctx.plan.impact.stacks[0] ?? null,
        name: confirmText(ctx.plan.action),
      },
      planHash: ctx.plan.planHash,
      params: { command: r.command, writes: r.writes, exitCode: r.exitCode, durationMs: r.durationMs },
      result: `late-${r.status}`,
      error: resultError(ctx.plan, r),
    });
    settle(this.o.audit.append(row), (err) =>
      process.emitWarning(`cannot record a late action result: ${err.message}`, "AuditLog"),
    );
  }
}

/** The error of a result's audit row; a reported command other than the plan's is named first. */
function resultError(plan: { command: string[] | null; writes: string | null }, r: ActionResultFrame): string | null {
  const mismatch = reportedMismatch(plan, r);
  const error = r.error ? `${r.error.code}: ${r.error.message}` : null;
  if (mismatch === null) return error;
  return `COMMAND_MISMATCH: ${mismatch}${error ? `; ${error}` : ""}`;
}
