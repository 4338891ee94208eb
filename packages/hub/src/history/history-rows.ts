import type { HistoryDiff, HistoryKind, InventoryAt } from "@nsatlas/protocol";
import { historyLabel } from "./history-items.js";

/** One appearance of an item as the history table stores it (SQLite and PostgreSQL alike). */
export interface HistoryRow {
  id: number;
  kind: HistoryKind;
  key: string;
  ns: string | null;
  data: string;
  appeared_at: number;
  disappeared_at: number | null;
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const parseData = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** The host's namespaces, stacks, links and addresses at `at`, from the rows alive then. */
export function inventoryFromRows(hostId: string, at: number, rows: HistoryRow[]): InventoryAt {
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

/** What was alive at `to` and not at `from`, and the reverse, from the rows alive at each. */
export function diffOfRows(from: number, to: number, atFrom: HistoryRow[], atTo: HistoryRow[]): HistoryDiff {
  const view = (r: HistoryRow) => ({
    kind: r.kind,
    key: r.key,
    ns: r.ns,
    label: historyLabel(r.kind, r.ns, parseData(r.data)),
  });
  const before = new Map(atFrom.map((r) => [r.key, r]));
  const after = new Map(atTo.map((r) => [r.key, r]));
  return {
    from: iso(from),
    to: iso(to),
    appeared: [...after.values()].filter((r) => !before.has(r.key)).map(view),
    disappeared: [...before.values()].filter((r) => !after.has(r.key)).map(view),
  };
}
