import type { HistoryDiff, HistoryEvent, HistoryKind, Inventory, InventoryAt } from "@nsatlas/protocol";
import type { Db } from "../database.js";
import { historyItems, historyLabel } from "./history-items.js";

export interface HistoryStoreOptions {
  /** Closed appearances older than this are forgotten. */
  retentionMs: number;
  /** At most this many rows per host; the oldest closed ones go first. */
  maxRowsPerHost: number;
  now?: () => number;
}

interface Row {
  id: number;
  kind: HistoryKind;
  key: string;
  ns: string | null;
  data: string;
  appeared_at: number;
  disappeared_at: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const parseData = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** When each namespace, stack, name, link and address of each host appeared and disappeared,
 * in the hub's SQLite database. Fed with every inventory the hub applies; what a host's agent
 * did not see (a stack that came and went between two scans) is not in it. */
export class HistoryStore {
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
      Pick<Row, "kind" | "key" | "ns" | "data"> & { at: number; change: HistoryEvent["change"] }
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

  #aliveAt(hostId: string, at: number): Row[] {
    return this.db
      .prepare(
        `SELECT * FROM history WHERE host_id = ? AND appeared_at <= ?
           AND (disappeared_at IS NULL OR disappeared_at > ?) ORDER BY appeared_at, id`,
      )
      .all(hostId, at, at) as Row[];
  }

  /** The host's namespaces, stacks, links and addresses as they were at `at`. */
  inventoryAt(hostId: string, at: number): InventoryAt {
    const rows = this.#aliveAt(hostId, at);
    const names = new Map<string, string[]>();
    for (const r of rows) {
      if (r.kind !== "name" || r.ns === null) continue;
      names.set(r.ns, [...(names.get(r.ns) ?? []), String(parseData(r.data).name)]);
    }
    const result: InventoryAt = { schema: "nsatlas.inventory-at/v1", hostId, at: iso(at), namespaces: [], stacks: [] };
    const stacks = new Map<string, InventoryAt["stacks"][number]>();
    const links = new Map<string, InventoryAt["stacks"][number]["links"][number]>();
    for (const r of rows) {
      const d = parseData(r.data);
      const ns = r.ns ?? "";
      if (r.kind === "namespace") {
        result.namespaces.push({
          id: ns,
          type: String(d.type),
          initial: d.initial === true,
          names: names.get(ns) ?? [],
          since: iso(r.appeared_at),
        });
      } else if (r.kind === "stack") {
        const s = { ns, names: names.get(ns) ?? [], since: iso(r.appeared_at), links: [] };
        stacks.set(ns, s);
        result.stacks.push(s);
      }
    }
    for (const r of rows) {
      if (r.kind !== "link") continue;
      const d = parseData(r.data);
      const link = {
        ifindex: Number(d.ifindex),
        name: String(d.name),
        kind: String(d.kind),
        since: iso(r.appeared_at),
        addresses: [],
      };
      links.set(r.key, link);
      stacks.get(r.ns ?? "")?.links.push(link);
    }
    for (const r of rows) {
      if (r.kind !== "address") continue;
      const linkKey = r.key.slice(0, r.key.lastIndexOf("|"));
      links.get(linkKey)?.addresses.push({ address: String(parseData(r.data).address), since: iso(r.appeared_at) });
    }
    return result;
  }

  /** What was alive at `to` and not at `from`, and the reverse. */
  diff(hostId: string, from: number, to: number): HistoryDiff {
    const view = (r: Row) => ({
      kind: r.kind,
      key: r.key,
      ns: r.ns,
      label: historyLabel(r.kind, r.ns, parseData(r.data)),
    });
    const before = new Map(this.#aliveAt(hostId, from).map((r) => [r.key, r]));
    const after = new Map(this.#aliveAt(hostId, to).map((r) => [r.key, r]));
    return {
      from: iso(from),
      to: iso(to),
      appeared: [...after.values()].filter((r) => !before.has(r.key)).map(view),
      disappeared: [...before.values()].filter((r) => !after.has(r.key)).map(view),
    };
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
