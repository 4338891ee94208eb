import type { HistoryDiff, HistoryEvent, Inventory, InventoryAt } from "@nsatlas/protocol";
import type { Db } from "../database.js";
import type { HistoryStorage } from "../storage.js";
import { historyItems, historyLabel } from "./history-items.js";
import { diffOfRows, type HistoryRow, inventoryFromRows, iso, parseData } from "./history-rows.js";

export interface HistoryStoreOptions {
  /** Closed appearances older than this are forgotten. */
  retentionMs: number;
  /** At most this many rows per host; the oldest closed ones go first. */
  maxRowsPerHost: number;
  now?: () => number;
}

/** When each namespace, stack, name, link and address of each host appeared and disappeared,
 * in the hub's SQLite database. Fed with every inventory the hub applies; what a host's agent
 * did not see (a stack that came and went between two scans) is not in it. */
export class HistoryStore implements HistoryStorage {
  /** Open appearances per host: key -> row id (loaded from the database on first use, so a
   * restarted hub closes what vanished while it was down at its first inventory). */
  readonly #open = new Map<string, Map<string, number>>();
  readonly #now: () => number;

  constructor(
    private readonly db: Db,
    private readonly o: HistoryStoreOptions,
  ) {
    this.#now = o.now ?? Date.now;
  }

  /** Records one inventory of a host; returns how many items appeared and disappeared. */
  record(hostId: string, inv: Inventory, at = this.#now()): { appeared: number; disappeared: number } {
    const items = historyItems(inv);
    const open = this.#openOf(hostId);
    let appeared = 0;
    let disappeared = 0;
    this.db.transaction(() => {
      const insert = this.db.prepare(
        "INSERT INTO history (host_id, kind, key, ns, data, appeared_at) VALUES (?, ?, ?, ?, ?, ?)",
      );
      const close = this.db.prepare("UPDATE history SET disappeared_at = ? WHERE id = ?");
      for (const [key, id] of open) {
        if (items.has(key)) continue;
        close.run(at, id);
        open.delete(key);
        disappeared += 1;
      }
      for (const [key, item] of items) {
        if (open.has(key)) continue;
        const r = insert.run(hostId, item.kind, key, item.ns, JSON.stringify(item.data), at);
        open.set(key, Number(r.lastInsertRowid));
        appeared += 1;
      }
    })();
    return { appeared, disappeared };
  }

  #openOf(hostId: string): Map<string, number> {
    let open = this.#open.get(hostId);
    if (!open) {
      const rows = this.db
        .prepare("SELECT id, key FROM history WHERE host_id = ? AND disappeared_at IS NULL")
        .all(hostId) as Array<{ id: number; key: string }>;
      open = new Map(rows.map((r) => [r.key, r.id]));
      this.#open.set(hostId, open);
    }
    return open;
  }

  /** Whether the hub ever recorded this host. */
  knows(hostId: string): boolean {
    return this.db.prepare("SELECT 1 FROM history WHERE host_id = ? LIMIT 1").get(hostId) !== undefined;
  }

  /** Appearances and disappearances in [from, to], oldest first, at most `limit`. */
  events(hostId: string, from: number, to: number, limit: number): { events: HistoryEvent[]; truncated: boolean } {
    const rows = this.db
      .prepare(
        `SELECT kind, key, ns, data, appeared_at AS at, 'appeared' AS change FROM history
           WHERE host_id = ? AND appeared_at BETWEEN ? AND ?
         UNION ALL
         SELECT kind, key, ns, data, disappeared_at AS at, 'disappeared' AS change FROM history
           WHERE host_id = ? AND disappeared_at BETWEEN ? AND ?
         ORDER BY at, change, key LIMIT ?`,
      )
      .all(hostId, from, to, hostId, from, to, limit + 1) as Array<
      Pick<HistoryRow, "kind" | "key" | "ns" | "data"> & { at: number; change: HistoryEvent["change"] }
    >;
    const events = rows.slice(0, limit).map((r) => ({
      at: iso(r.at),
      change: r.change,
      kind: r.kind,
      key: r.key,
      ns: r.ns,
      label: historyLabel(r.kind, r.ns, parseData(r.data)),
    }));
    return { events, truncated: rows.length > limit };
  }

  #aliveAt(hostId: string, at: number): HistoryRow[] {
    return this.db
      .prepare(
        `SELECT * FROM history WHERE host_id = ? AND appeared_at <= ?
           AND (disappeared_at IS NULL OR disappeared_at > ?) ORDER BY appeared_at, id`,
      )
      .all(hostId, at, at) as HistoryRow[];
  }

  /** The host's namespaces, stacks, links and addresses as they were at `at`. */
  inventoryAt(hostId: string, at: number): InventoryAt {
    return inventoryFromRows(hostId, at, this.#aliveAt(hostId, at));
  }

  /** What was alive at `to` and not at `from`, and the reverse. */
  diff(hostId: string, from: number, to: number): HistoryDiff {
    return diffOfRows(from, to, this.#aliveAt(hostId, from), this.#aliveAt(hostId, to));
  }

  /** Forgets closed appearances past retention, then trims each host to maxRowsPerHost. */
  prune(now = this.#now()): number {
    let gone = this.db
      .prepare("DELETE FROM history WHERE disappeared_at IS NOT NULL AND disappeared_at < ?")
      .run(now - this.o.retentionMs).changes;
    const crowded = this.db
      .prepare("SELECT host_id, COUNT(*) AS n FROM history GROUP BY host_id HAVING n > ?")
      .all(this.o.maxRowsPerHost) as Array<{ host_id: string; n: number }>;
    for (const h of crowded) {
      gone += this.db
        .prepare(
          `DELETE FROM history WHERE id IN (SELECT id FROM history WHERE host_id = ? AND disappeared_at IS NOT NULL
             ORDER BY disappeared_at LIMIT ?)`,
        )
        .run(h.host_id, h.n - this.o.maxRowsPerHost).changes;
    }
    return gone;
  }
}
