import type { HistoryDiff, HistoryEvent, Inventory, InventoryAt } from "@nsatlas/protocol";
import { historyItems, historyLabel } from "../history/history-items.js";
import { diffOfRows, type HistoryRow, inventoryFromRows, iso, parseData } from "../history/history-rows.js";
import type { HistoryStoreOptions } from "../history/history-store.js";
import type { HistoryStorage } from "../storage.js";
import { PG_LOCK, type PgDatabase } from "./pg-database.js";

interface Pending {
  inv: Inventory;
  at: number;
  waiters: Array<(r: { appeared: number; disappeared: number }) => void>;
  fail: Array<(err: Error) => void>;
}

/** The history in PostgreSQL, shared by replicas (a host's past stays when its agent moves to
 * another replica). Each record reads the host's open rows afresh, in a transaction holding a
 * per-host advisory lock, so two replicas recording one host (a displaced session) never open
 * an item twice. Records of one host run one at a time and coalesce: while one is written,
 * only the newest inventory waits (memory stays bounded when the database is slow or down). */
export class PgHistoryStore implements HistoryStorage {
  readonly #now: () => number;
  readonly #running = new Set<string>();
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly db: PgDatabase,
    private readonly o: HistoryStoreOptions,
  ) {
    this.#now = o.now ?? Date.now;
  }

  record(hostId: string, inv: Inventory, at = this.#now()): Promise<{ appeared: number; disappeared: number }> {
    return new Promise((resolve, reject) => {
      const p = this.#pending.get(hostId);
      if (p) {
        p.inv = inv;
        p.at = at;
        p.waiters.push(resolve);
        p.fail.push(reject);
      } else this.#pending.set(hostId, { inv, at, waiters: [resolve], fail: [reject] });
      void this.#drain(hostId);
    });
  }

  async #drain(hostId: string): Promise<void> {
    if (this.#running.has(hostId)) return;
    this.#running.add(hostId);
    try {
      for (let p = this.#pending.get(hostId); p; p = this.#pending.get(hostId)) {
        this.#pending.delete(hostId);
        try {
          const r = await this.#write(hostId, p.inv, p.at);
          for (const w of p.waiters) w(r);
        } catch (err) {
          for (const f of p.fail) f(err as Error);
        }
      }
    } finally {
      this.#running.delete(hostId);
    }
  }

  async #write(hostId: string, inv: Inventory, at: number): Promise<{ appeared: number; disappeared: number }> {
    const items = historyItems(inv);
    return this.db.transaction(async (c) => {
      // The two-key form: PG_LOCK.historyHost names the space, the host's hash the lock in it.
      await c.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [PG_LOCK.historyHost, hostId]);
      const open = await c.query<{ id: number; key: string }>(
        "SELECT id, key FROM history WHERE host_id = $1 AND disappeared_at IS NULL",
        [hostId],
      );
      const have = new Set<string>();
      const gone: number[] = [];
      for (const r of open.rows) {
        if (items.has(r.key) && !have.has(r.key)) have.add(r.key);
        else gone.push(r.id);
      }
      if (gone.length > 0) {
        await c.query("UPDATE history SET disappeared_at = $1 WHERE id = ANY($2::bigint[])", [at, gone]);
      }
      const fresh = [...items].filter(([key]) => !have.has(key));
      if (fresh.length > 0) {
        await c.query(
          `INSERT INTO history (host_id, kind, key, ns, data, appeared_at)
             SELECT $1, kind, key, ns, data, $2 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[])
               AS t(kind, key, ns, data)`,
          [
            hostId,
            at,
            fresh.map(([, i]) => i.kind),
            fresh.map(([k]) => k),
            fresh.map(([, i]) => i.ns),
            fresh.map(([, i]) => JSON.stringify(i.data)),
          ],
        );
      }
      return { appeared: fresh.length, disappeared: gone.length };
    });
  }

  async knows(hostId: string): Promise<boolean> {
    const r = await this.db.pool.query("SELECT 1 FROM history WHERE host_id = $1 LIMIT 1", [hostId]);
    return (r.rowCount ?? 0) > 0;
  }

  async events(
    hostId: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<{ events: HistoryEvent[]; truncated: boolean }> {
    const r = await this.db.pool.query<
      Pick<HistoryRow, "kind" | "key" | "ns" | "data"> & { at: number; change: HistoryEvent["change"] }
    >(
      `SELECT kind, key, ns, data, appeared_at AS at, 'appeared' AS change FROM history
         WHERE host_id = $1 AND appeared_at BETWEEN $2 AND $3
       UNION ALL
       SELECT kind, key, ns, data, disappeared_at AS at, 'disappeared' AS change FROM history
         WHERE host_id = $1 AND disappeared_at BETWEEN $2 AND $3
       ORDER BY at, change, key LIMIT $4`,
      [hostId, from, to, limit + 1],
    );
    const events = r.rows.slice(0, limit).map((row) => ({
      at: iso(row.at),
      change: row.change,
      kind: row.kind,
      key: row.key,
      ns: row.ns,
      label: historyLabel(row.kind, row.ns, parseData(row.data)),
    }));
    return { events, truncated: r.rows.length > limit };
  }

  async #aliveAt(hostId: string, at: number): Promise<HistoryRow[]> {
    const r = await this.db.pool.query<HistoryRow>(
      `SELECT * FROM history WHERE host_id = $1 AND appeared_at <= $2
         AND (disappeared_at IS NULL OR disappeared_at > $2) ORDER BY appeared_at, id`,
      [hostId, at],
    );
    return r.rows;
  }

  async inventoryAt(hostId: string, at: number): Promise<InventoryAt> {
    return inventoryFromRows(hostId, at, await this.#aliveAt(hostId, at));
  }

  async diff(hostId: string, from: number, to: number): Promise<HistoryDiff> {
    const [a, b] = await Promise.all([this.#aliveAt(hostId, from), this.#aliveAt(hostId, to)]);
    return diffOfRows(from, to, a, b);
  }

  /** Retention under an exclusive lock: one replica prunes at a time, while none records. */
  async prune(now = this.#now()): Promise<number> {
    return this.db.locked(PG_LOCK.historyPrune, async (c) => {
      let gone =
        (
          await c.query("DELETE FROM history WHERE disappeared_at IS NOT NULL AND disappeared_at < $1", [
            now - this.o.retentionMs,
          ])
        ).rowCount ?? 0;
      const crowded = await c.query<{ host_id: string; n: number }>(
        "SELECT host_id, COUNT(*)::int AS n FROM history GROUP BY host_id HAVING COUNT(*) > $1",
        [this.o.maxRowsPerHost],
      );
      for (const h of crowded.rows) {
        const r = await c.query(
          `DELETE FROM history WHERE id IN (SELECT id FROM history WHERE host_id = $1 AND disappeared_at IS NOT NULL
             ORDER BY disappeared_at LIMIT $2)`,
          [h.host_id, h.n - this.o.maxRowsPerHost],
        );
        gone += r.rowCount ?? 0;
      }
      return gone;
    });
  }
}
