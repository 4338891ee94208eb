import { createHash, randomUUID } from "node:crypto";
import type { Action, ActionImpact, ActionTargets } from "@nsatlas/protocol";
import { canonicalJson, type JsonValue } from "../audit/canonical-json.js";
import type { PlanStorage } from "../storage.js";
import { ActionError } from "./action-error.js";

export interface StoredPlan {
  id: string;
  /** The principal who planned it: only they may confirm it. */
  owner: string;
  hostId: string;
  action: Action;
  targets: ActionTargets;
  command: string[] | null;
  writes: string | null;
  impact: ActionImpact;
  summary: string;
  confirm: string;
  /** SHA-256 of the plan's canonical JSON: ties the audit rows of plan, request and outcome. */
  planHash: string;
  createdAt: number;
  expiresAt: number;
  used: boolean;
}

export type NewPlan = Omit<StoredPlan, "id" | "planHash" | "createdAt" | "expiresAt" | "used">;

export interface PlanStoreOptions {
  ttlMs: number;
  now?: () => number;
  /** Unconfirmed plans one principal may hold (oldest dropped first). */
  maxPerOwner?: number;
}

/** A new plan with its id, expiry and hash (the hash covers the canonical JSON of the plan as
 * the confirm will see it, so the audit rows of plan, request and outcome name the same one). */
export function sealPlan(p: NewPlan, now: number, ttlMs: number): StoredPlan {
  const id = randomUUID();
  const expiresAt = now + ttlMs;
  const hashed = { planId: id, ...p, expiresAt: new Date(expiresAt).toISOString() };
  const planHash = createHash("sha256")
    .update(canonicalJson(JSON.parse(JSON.stringify(hashed)) as JsonValue))
    .digest("hex");
  return { ...p, id, planHash, createdAt: now, expiresAt, used: false };
}

/** The plan, if `owner` may confirm it at `now` with `typed` (see PlanStore.check). */
export function checkedPlan(plan: StoredPlan | null, owner: string, typed: string, now: number): StoredPlan {
  if (!plan || plan.owner !== owner) throw new ActionError("not-found", "NO_SUCH_PLAN", "no such plan");
  if (plan.used) throw new ActionError("conflict", "PLAN_USED", "this plan was already confirmed: plan again");
  if (plan.expiresAt <= now) throw new ActionError("conflict", "PLAN_EXPIRED", "this plan expired: plan again");
  if (typed !== plan.confirm) {
    throw new ActionError("invalid", "CONFIRM_MISMATCH", `type ${JSON.stringify(plan.confirm)} to confirm`);
  }
  return plan;
}

/** How long a used or expired plan is remembered, to answer 409 rather than 404. */
const REMEMBER_MS = 60 * 60 * 1000;

/** Plans waiting for confirmation, in memory: single-use, bound to their owner, expiring after
 * the TTL. A hub restart forgets them, which is the safe direction. */
export class PlanStore implements PlanStorage {
  readonly #plans = new Map<string, StoredPlan>();
  readonly #now: () => number;
  constructor(private readonly o: PlanStoreOptions) {
    this.#now = o.now ?? Date.now;
  }

  add(p: NewPlan): StoredPlan {
    this.#sweep();
    const now = this.#now();
    const plan = sealPlan(p, now, this.o.ttlMs);
    const mine = [...this.#plans.values()].filter((x) => x.owner === p.owner && !x.used && x.expiresAt > now);
    const max = this.o.maxPerOwner ?? 50;
    for (const old of mine.slice(0, Math.max(0, mine.length - max + 1))) this.#plans.delete(old.id);
    this.#plans.set(plan.id, plan);
    return plan;
  }

  /** The plan, if `owner` may confirm it now with `typed`. Another principal's plan is 404
   * (its existence is not revealed); used or expired is 409; a wrong text is 400 and the plan
   * stays usable. Does not consume it: call consume() once every other check passed. */
  check(id: string, owner: string, typed: string): StoredPlan {
    return checkedPlan(this.#plans.get(id) ?? null, owner, typed, this.#now());
  }

  /** Marks it used; false when it already was (one process: the check above saw it unused). */
  consume(plan: StoredPlan): boolean {
    const stored = this.#plans.get(plan.id);
    if (!stored || stored.used) return false;
    stored.used = true;
    plan.used = true;
    return true;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, p] of this.#plans) if (p.expiresAt + REMEMBER_MS < now) this.#plans.delete(id);
  }
}
