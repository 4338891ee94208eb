import type { HistoryKind, Inventory } from "@nsatlas/protocol";

/** One thing whose life the hub records: a namespace, a stack, a name of a stack, a link, an address. */
export interface HistoryItem {
  kind: HistoryKind;
  /** Identity within the host; a renamed link or a re-addressed one is a new item. */
  key: string;
  /** The namespace it belongs to (a namespace: itself). */
  ns: string;
  /** What the views need to show it later, when the inventory is gone. */
  data: Record<string, string | number | boolean | null>;
}

/** Human label of an item, from its stored data. */
export function historyLabel(kind: HistoryKind, ns: string | null, data: Record<string, unknown>): string {
  const s = (k: string) => String(data[k] ?? "");
  // The stack's name when it was recorded ("initial", its first name), besides its id.
  const where = typeof data.stack === "string" && data.stack !== ns ? `${data.stack} (${ns ?? ""})` : (ns ?? "");
  switch (kind) {
    case "namespace":
      return `${s("type")} namespace ${ns ?? ""}${data.initial ? " (initial)" : ""}`;
    case "stack":
      return `stack ${where}`;
    case "name":
      return `name ${s("name")} of ${ns ?? ""}`;
    case "link":
      return `link ${s("name")} (${s("kind")}) in ${where}`;
    case "address":
      return `${s("address")} on ${s("link")} in ${where}`;
  }
}

/** Every recorded item of an inventory, by key. Keys are built from the kernel's identities
 * (namespace inode, ifindex) plus the name, so a rename shows as one item going and one coming. */
export function historyItems(inv: Inventory): Map<string, HistoryItem> {
  const items = new Map<string, HistoryItem>();
  const put = (i: HistoryItem) => items.set(i.key, i);
  for (const n of inv.namespaces) {
    put({ kind: "namespace", key: n.id, ns: n.id, data: { type: n.type, initial: n.initial } });
    if (n.type !== "net") continue;
    for (const name of n.names) put({ kind: "name", key: `${n.id}|name|${name}`, ns: n.id, data: { name } });
  }
  const stackNames = new Map(
    inv.namespaces.filter((n) => n.type === "net").map((n) => [n.id, n.initial ? "initial" : (n.names[0] ?? n.id)]),
  );
  for (const s of inv.netstacks ?? []) {
    const stack = stackNames.get(s.ns) ?? s.ns;
    put({ kind: "stack", key: `${s.ns}|stack`, ns: s.ns, data: { stack } });
    for (const l of s.links) {
      const link = `${s.ns}|link|${l.ifindex}|${l.name}`;
      put({ kind: "link", key: link, ns: s.ns, data: { name: l.name, kind: l.kind, ifindex: l.ifindex, stack } });
      for (const a of l.addresses) {
        const address = `${a.address}/${a.prefixlen}`;
        put({
          kind: "address",
          key: `${link}|${address}`,
          ns: s.ns,
          data: { address, link: l.name, ifindex: l.ifindex, stack },
        });
      }
    }
  }
  return items;
}
