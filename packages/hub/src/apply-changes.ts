import type { Inventory, InventoryChanges, Namespace, Process } from "@nsatlas/protocol";
import { NAMESPACE_TYPES, namespaceId } from "@nsatlas/protocol/ids";

function applyKeyed<T>(
  items: readonly T[],
  changes: { upsert?: T[]; remove?: Array<string | number> } | undefined,
  key: (item: T) => string | number,
): Map<string | number, T> {
  const byKey = new Map<string | number, T>(items.map((i) => [key(i), i]));
  if (!changes) return byKey;
  for (const k of changes.remove ?? []) byKey.delete(k);
  for (const item of changes.upsert ?? []) byKey.set(key(item), item);
  return byKey;
}

const sameNamespaces = (a: Process, b: Process) => NAMESPACE_TYPES.every((t) => a.ns[t] === b.ns[t]);

/** Moves changed and removed processes between namespaces (membership is not sent in deltas;
 * see InventoryChanges). Namespaces sent whole in this delta are already complete. */
function applyMembership(
  namespaces: Map<string | number, Namespace>,
  sentWhole: ReadonlySet<string>,
  before: ReadonlyMap<number, Process>,
  changes: InventoryChanges,
): void {
  const copied = new Set<string>();
  const edit = (type: (typeof NAMESPACE_TYPES)[number], inode: number): Namespace | null => {
    const id = namespaceId(type, inode);
    if (sentWhole.has(id)) return null;
    const ns = namespaces.get(id);
    if (!ns) return null;
    if (copied.has(id)) return ns;
    // Copy on write: the previous inventory may still be read by subscribers.
    const copy = { ...ns, pids: [...ns.pids], holders: [...ns.holders] };
    namespaces.set(id, copy);
    copied.add(id);
    return copy;
  };
  const leave = (p: Process) => {
    for (const t of NAMESPACE_TYPES) {
      const ns = edit(t, p.ns[t]);
      if (!ns) continue;
      ns.pids = ns.pids.filter((x) => x !== p.pid);
      ns.holders = ns.holders.filter((h) => h.kind !== "process" || h.pid !== p.pid);
    }
  };
  const join = (p: Process) => {
    for (const t of NAMESPACE_TYPES) {
      const ns = edit(t, p.ns[t]);
      if (!ns || ns.pids.includes(p.pid)) continue;
      // Keep the scanner's order: pids ascending, process holders first and by pid.
      const at = ns.pids.findIndex((x) => x > p.pid);
      ns.pids.splice(at < 0 ? ns.pids.length : at, 0, p.pid);
      const h = ns.holders.findIndex((x) => x.kind !== "process" || x.pid > p.pid);
      ns.holders.splice(h < 0 ? ns.holders.length : h, 0, { kind: "process", pid: p.pid });
    }
  };
  for (const pid of changes.processes?.remove ?? []) {
    const old = before.get(pid);
    if (old) leave(old);
  }
  for (const p of changes.processes?.upsert ?? []) {
    const old = before.get(p.pid);
    if (old && sameNamespaces(old, p)) continue;
    if (old) leave(old);
    join(p);
  }
}

const byTypeAndInode = (a: Namespace, b: Namespace) =>
  a.type === b.type ? a.inode - b.inode : a.type < b.type ? -1 : 1;

/** The inventory after changes: a new object; `base` is left as it was. */
export function applyChanges(base: Inventory, changes: InventoryChanges): Inventory {
  const before = new Map(base.processes.map((p) => [p.pid, p]));
  const namespaces = applyKeyed(base.namespaces, changes.namespaces, (n) => n.id);
  const sentWhole = new Set((changes.namespaces?.upsert ?? []).map((n) => n.id));
  applyMembership(namespaces, sentWhole, before, changes);
  const processes = applyKeyed(base.processes, changes.processes, (p) => p.pid);
  const next: Inventory = {
    ...base,
    host: changes.host ?? base.host,
    warnings: changes.warnings ?? base.warnings,
    namespaces: [...namespaces.values()].sort(byTypeAndInode),
    processes: [...processes.values()].sort((a, b) => a.pid - b.pid),
  };
  if (changes.netstacks) {
    // Same order as the scanner: by inode.
    const inode = (id: string) => Number(id.slice(id.indexOf(":") + 1));
    next.netstacks = [...applyKeyed(base.netstacks ?? [], changes.netstacks, (s) => s.ns).values()].sort(
      (a, b) => inode(a.ns) - inode(b.ns),
    );
  }
  if (changes.findings) next.findings = changes.findings;
  return next;
}
