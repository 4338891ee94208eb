import { checkedPlan, type NewPlan, type PlanStoreOptions, type StoredPlan, sealPlan } from "../actions/plan-store.js";
import type { PlanStorage } from "../storage.js";
import type { PgDatabase } from "./pg-database.js";

/** How long a used or expired plan is kept, to answer 409 rather than 404 (as PlanStore). */
const REMEMBER_MS = 60 * 60 * 1000;

/** Plans in PostgreSQL: planned on one replica, confirmed on any. A plan is consumed by one
 * conditional UPDATE (`used` false → true), so of two replicas confirming it at once exactly
 * one runs it and the other answers 409. */
export class PgPlanStore implements PlanStorage {
  readonly #now: () => number;
  constructor(
    private readonly db: PgDatabase,
    private readonly o: PlanStoreOptions,
  ) {
    this.#now = o.now ?? Date.now;
  }

  async add(p: NewPlan): Promise<StoredPlan> {
    const now = this.#now();
    const plan = sealPlan(p, now, this.o.ttlMs);
    const max = this.o.maxPerOwner ?? 50;
    await this.db.transaction(async (c) => {
      await c.query("DELETE FROM plans WHERE expires_at < $1", [now - REMEMBER_MS]);
      // The owner's oldest unconfirmed plans go first, as in PlanStore.
      await c.query(
        `DELETE FROM plans WHERE id IN (SELECT id FROM plans WHERE owner = $1 AND NOT used AND expires_at > $2
           ORDER BY expires_at DESC OFFSET $3)`,
        [p.owner, now, max - 1],
      );
      await c.query("INSERT INTO plans (id, owner, plan, expires_at) VALUES ($1, $2, $3, $4)", [
        plan.id,
        plan.owner,
        JSON.stringify(plan),
        plan.expiresAt,
      ]);
    });
    return plan;
  }

  async check(id: string, owner: string, typed: string): Promise<StoredPlan> {
    const r = await this.db.pool.query<{ plan: string; used: boolean }>("SELECT plan, used FROM plans WHERE id = $1", [
      id,
    ]);
    const row = r.rows[0];
    const plan = row ? { ...(JSON.parse(row.plan) as StoredPlan), used: row.used } : null;
    return checkedPlan(plan, owner, typed, this.#now());
  }

  async consume(plan: StoredPlan): Promise<boolean> {
    const r = await this.db.pool.query("UPDATE plans SET used = true WHERE id = $1 AND NOT used", [plan.id]);
    plan.used = true;
    return (r.rowCount ?? 0) === 1;
  }
}
