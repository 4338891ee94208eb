import type { Holder, Inventory, InventoryChanges, Namespace, Process } from "@nsatlas/protocol";
import { NAMESPACE_TYPES, namespaceId } from "@nsatlas/protocol/ids";
import { internProcess } from "./intern.js";

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

/** The first index where `after` holds, for a predicate that is false and then true along
 * the array (binary search; the length when it never holds). A new pid is usually the
 * highest: a linear search would walk every process of the namespace. */
function firstIndex<T>(items: readonly T[], after: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(items[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
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
  const edit = (type: (typeof NAMESPACE_TYPES)[number], inode: number | null): Namespace | null => {
    if (inode === null) return null; // a link the kernel no longer serves (a zombie's)
    const id = namespaceId(type, inode);
    if (sentWhole.has(id)) return null;
    const ns = namespaces.get(id);
    if (!ns) return null;
    if (copied.has(id)) return ns;
    // Copy on write: the previous inventory may still be read by subscribers.
    const copy = { ...ns, pids: ns.pids.slice(), holders: ns.holders.slice() };
    namespaces.set(id, copy);
    copied.add(id);
    return copy;
  };
  const leave = (p: Process) => {
    for (const t of NAMESPACE_TYPES) {
      const ns = edit(t, p.ns[t]);
      if (!ns) continue;
      // In place on this delta's copy: the initial namespaces list every process of the host.
      const i = ns.pids.indexOf(p.pid);
      if (i >= 0) ns.pids.splice(i, 1);
      const h = ns.holders.findIndex((x) => x.kind === "process" && x.pid === p.pid);
      if (h >= 0) ns.holders.splice(h, 1);
    }
  };
  const join = (p: Process) => {
    const holder: Holder = { kind: "process", pid: p.pid }; // one object for all its namespaces
    for (const t of NAMESPACE_TYPES) {
      const ns = edit(t, p.ns[t]);
      if (!ns || ns.pids.includes(p.pid)) continue;
      // Keep the scanner's order: pids ascending, process holders first and by pid.
      ns.pids.splice(
        firstIndex(ns.pids, (x) => x > p.pid),
        0,
        p.pid,
      );
      const h = firstIndex(ns.holders, (x) => x.kind !== "process" || x.pid > p.pid);
      ns.holders.splice(h, 0, holder);
    }
  };
  // A pid both removed and upserted is upserted (see applyProcesses): its move happens below.
  const upserted = new Set((changes.processes?.upsert ?? []).map((p) => p.pid));
  for (const pid of changes.processes?.remove ?? []) {
    const old = before.get(pid);
    if (old && !upserted.has(pid)) leave(old);
  }
  for (const p of changes.processes?.upsert ?? []) {
    const old = before.get(p.pid);
    if (old && sameNamespaces(old, p)) continue;
    if (old) leave(old);
    join(p);
  }
}

/** Processes after changes (in pid order) and the previous version of each changed or removed
 * one. The hub applies a delta per agent per second: on a pid-sorted base (what the scanner
 * sends) this is one merge pass, without indexing every process of the host each time.
 * Upserts win over removals of the same pid, as in applyKeyed. */
function applyProcesses(
  base: Process[],
  changes: InventoryChanges["processes"],
): { processes: Process[]; before: Map<number, Process> } {
  const before = new Map<number, Process>();
  const upserts = new Map((changes?.upsert ?? []).map((p) => [p.pid, p]));
  const removed = new Set(changes?.remove ?? []);
  // Unchanged processes keep their array (never mutated): caches keyed by it stay valid.
  if (upserts.size === 0 && removed.size === 0) return { processes: base, before };
  const fresh = [...upserts.values()].sort((a, b) => a.pid - b.pid);
  const out: Process[] = [];
  let j = 0;
  let lastPid = Number.NEGATIVE_INFINITY;
  for (const p of base) {
    if (p.pid <= lastPid) return applyProcessesUnsorted(base, changes); // not a scanner's order
    lastPid = p.pid;
    while (j < fresh.length && (fresh[j] as Process).pid < p.pid) out.push(internProcess(fresh[j++] as Process));
    const next = upserts.get(p.pid);
    if (next) {
      internProcess(next);
      before.set(p.pid, p);
      out.push(next);
      j += 1;
    } else if (removed.has(p.pid)) before.set(p.pid, p);
    else out.push(p);
  }
  while (j < fresh.length) out.push(internProcess(fresh[j++] as Process));
  return { processes: out, before };
}

/** The general case, for a base not sorted by pid or with repeated pids. */
function applyProcessesUnsorted(base: readonly Process[], changes: InventoryChanges["processes"]) {
  const before = new Map(base.map((p) => [p.pid, p]));
  const processes = [...applyKeyed(base, changes, (p) => p.pid).values()].sort((a, b) => a.pid - b.pid);
  return { processes, before };
}

const byTypeAndInode = (a: Namespace, b: Namespace) =>
  a.type === b.type ? a.inode - b.inode : a.type < b.type ? -1 : 1;

/** The inventory after changes: a new object; `base` is left as it was. */
export function applyChanges(base: Inventory, changes: InventoryChanges): Inventory {
  const { processes, before } = applyProcesses(base.processes, changes.processes);
  const namespaces = applyKeyed(base.namespaces, changes.namespaces, (n) => n.id);
  const sentWhole = new Set((changes.namespaces?.upsert ?? []).map((n) => n.id));
  applyMembership(namespaces, sentWhole, before, changes);
  const next: Inventory = {
    ...base,
    host: changes.host ?? base.host,
    warnings: changes.warnings ?? base.warnings,
    namespaces: [...namespaces.values()].sort(byTypeAndInode),
    processes,
  };
  if (changes.netstacks) {
    // Same order as the scanner: by inode.
    const inode = (id: string) => Number(id.slice(id.indexOf(":") + 1));
    next.netstacks = [...applyKeyed(base.netstacks ?? [], changes.netstacks, (s) => s.ns).values()].sort(
      (a, b) => inode(a.ns) - inode(b.ns),
    );
  }
  if (changes.findings) next.findings = changes.findings;
  if (changes.containers)
    next.containers = [...applyKeyed(base.containers ?? [], changes.containers, (c) => c.id).values()].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
  return next;
}
