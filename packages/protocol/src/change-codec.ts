// The one change codec: what the agent sends after its snapshot (`diffInventory`) and how the
// hub and the browser turn the previous inventory into the next one (`applyChanges`). Types
// only from the schemas, so the browser bundle takes this module without zod.
//
// The rules both sides rely on, and that `applyChanges(a, diffInventory(a, b))` equals `b` under
// (see change-codec.test.ts):
//
// 1. Collections travel by key: namespaces by `id`, processes by `pid`, netstacks by `ns`,
//    containers by `id`; an item is sent whole when any part of it changed. A key both
//    removed and upserted in one change is upserted.
// 2. The small top-level parts (`warnings`, `findings`) travel whole when they change; `host`
//    travels with every change (its `scannedAt` is the scan's). No change at all (null) when
//    nothing but `host.scannedAt` changed: the receiver keeps its older scan time.
// 3. Namespace membership is not sent: a namespace's `pids` and its `process` holders follow
//    from `processes[].ns`, and the receiver re-derives them for the processes that started,
//    exited or moved. A namespace travels only when more than its membership changed or it is
//    new, and then whole (membership included). So one process start is one process, not the
//    same pid again inside each of its eight namespaces (the initial ones list every process).
//    A null link (a zombie's, see `NsLink`) is membership of nothing.
// 4. Order is the scanner's, and the receiver keeps it: processes by pid; namespaces by type,
//    then inode; netstacks by the inode of their namespace; containers by id. Within a
//    namespace, `pids` ascend, and `process` holders come first, by pid, before the other
//    holders (threads, fds, bind mounts, … in the scanner's order, which travel with the
//    namespace).
// 5. A process's scheduling state (R, S, D, I, …) changes all the time and says nothing about
//    namespaces: a process travels again only when it enters a stop (T, t) or dies (Z, X), so
//    the receiver's state letter is right by class, not always by letter.
// 6. An absent `netstacks` (an agent run with --no-netstacks) and `[]` are the same to the
//    codec: an agent does not switch between them within one epoch (a restart snapshots).

import type { InventoryChanges } from "./frames.js";
import { NAMESPACE_TYPES, type NamespaceTypeName, namespaceId } from "./ids.js";
import type { Holder, Inventory, Namespace, Process } from "./inventory.js";

type Key = string | number;
type Keyed<T> = { upsert?: T[]; remove?: Key[] };

/** Changes of one keyed collection; items compare by the JSON text of `compared(item)`
 * (inventories are plain data, and a scan builds every item with the same key order). */
function diffKeyed<T>(
  prev: readonly T[],
  next: readonly T[],
  key: (item: T) => Key,
  compared: (item: T) => unknown = (item) => item,
): Keyed<T> | undefined {
  const before = new Map<Key, string>();
  for (const item of prev) before.set(key(item), JSON.stringify(compared(item)));
  const upsert: T[] = [];
  const seen = new Set<Key>();
  for (const item of next) {
    const k = key(item);
    seen.add(k);
    if (before.get(k) !== JSON.stringify(compared(item))) upsert.push(item);
  }
  const remove = [...before.keys()].filter((k) => !seen.has(k));
  if (upsert.length === 0 && remove.length === 0) return undefined;
  return { ...(upsert.length > 0 ? { upsert } : {}), ...(remove.length > 0 ? { remove } : {}) };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A namespace without its membership (rule 3). */
function namespaceCore(n: Namespace): unknown {
  return { ...n, pids: undefined, holders: n.holders.filter((h) => h.kind !== "process") };
}

/** A scheduling state by class (rule 5). */
export function stateClass(state: string | undefined): string | undefined {
  if (state === undefined) return undefined;
  return state === "Z" || state === "X" ? "dead" : state === "T" || state === "t" ? "stopped" : "live";
}

const processCore = (p: Process): unknown => ({ ...p, state: stateClass(p.state) });

/** What changed from prev to next, or null when nothing but the scan time did (rule 2). */
export function diffInventory(prev: Inventory, next: Inventory): InventoryChanges | null {
  const changes: InventoryChanges = {};
  const namespaces = diffKeyed(prev.namespaces, next.namespaces, (n) => n.id, namespaceCore);
  if (namespaces) changes.namespaces = namespaces as InventoryChanges["namespaces"];
  const processes = diffKeyed(prev.processes, next.processes, (p) => p.pid, processCore);
  if (processes) changes.processes = processes as InventoryChanges["processes"];
  if (!sameJson(prev.warnings, next.warnings)) changes.warnings = next.warnings;
  const netstacks = diffKeyed(prev.netstacks ?? [], next.netstacks ?? [], (s) => s.ns);
  if (netstacks) changes.netstacks = netstacks as InventoryChanges["netstacks"];
  if (!sameJson(prev.findings, next.findings)) changes.findings = next.findings;
  const containers = diffKeyed(prev.containers ?? [], next.containers ?? [], (c) => c.id);
  if (containers) changes.containers = containers as InventoryChanges["containers"];
  const { scannedAt: _a, ...prevHost } = prev.host;
  const { scannedAt: _b, ...nextHost } = next.host;
  if (Object.keys(changes).length === 0 && sameJson(prevHost, nextHost)) return null;
  changes.host = next.host;
  return changes;
}

function applyKeyed<T>(items: readonly T[], changes: Keyed<T> | undefined, key: (item: T) => Key): Map<Key, T> {
  const byKey = new Map<Key, T>(items.map((i) => [key(i), i]));
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

/** Moves changed and removed processes between namespaces (rule 3). Namespaces sent whole in
 * this change are already complete. */
function applyMembership(
  namespaces: Map<Key, Namespace>,
  sentWhole: ReadonlySet<string>,
  before: ReadonlyMap<number, Process>,
  changes: InventoryChanges,
): void {
  const copied = new Set<string>();
  const edit = (type: NamespaceTypeName, inode: number | null): Namespace | null => {
    if (inode === null) return null; // a link the kernel no longer serves (a zombie's)
    const id = namespaceId(type, inode);
    if (sentWhole.has(id)) return null;
    const ns = namespaces.get(id);
    if (!ns) return null;
    if (copied.has(id)) return ns;
    // Copy on write: the previous inventory may still be read (subscribers, React).
    const copy = { ...ns, pids: ns.pids.slice(), holders: ns.holders.slice() };
    namespaces.set(id, copy);
    copied.add(id);
    return copy;
  };
  const leave = (p: Process) => {
    for (const t of NAMESPACE_TYPES) {
      const ns = edit(t, p.ns[t]);
      if (!ns) continue;
      // In place on this change's copy: the initial namespaces list every process of the host.
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
      ns.pids.splice(
        firstIndex(ns.pids, (x) => x > p.pid),
        0,
        p.pid,
      );
      const h = firstIndex(ns.holders, (x) => x.kind !== "process" || x.pid > p.pid);
      ns.holders.splice(h, 0, holder);
    }
  };
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

/** What the receiver may do with each process object it takes from a change (the hub shares
 * repeated inode sets between hosts); returns the process to keep. */
export type AdoptProcess = (p: Process) => Process;

/** Processes after changes (in pid order) and the previous version of each changed or removed
 * one. On a pid-sorted base (rule 4) this is one merge pass, without indexing every process
 * of the host for each change. */
function applyProcesses(
  base: Process[],
  changes: InventoryChanges["processes"],
  adopt: AdoptProcess,
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
    if (p.pid <= lastPid) return applyProcessesUnsorted(base, changes, adopt); // not a scanner's order
    lastPid = p.pid;
    while (j < fresh.length && (fresh[j] as Process).pid < p.pid) out.push(adopt(fresh[j++] as Process));
    const next = upserts.get(p.pid);
    if (next) {
      before.set(p.pid, p);
      out.push(adopt(next));
      j += 1;
    } else if (removed.has(p.pid)) before.set(p.pid, p);
    else out.push(p);
  }
  while (j < fresh.length) out.push(adopt(fresh[j++] as Process));
  return { processes: out, before };
}

/** The general case, for a base not sorted by pid or with repeated pids. */
function applyProcessesUnsorted(base: readonly Process[], changes: InventoryChanges["processes"], adopt: AdoptProcess) {
  const before = new Map(base.map((p) => [p.pid, p]));
  const upserted = new Set((changes?.upsert ?? []).map((p) => p.pid));
  const processes = [...applyKeyed(base, changes, (p) => p.pid).values()]
    .map((p) => (upserted.has(p.pid) ? adopt(p) : p))
    .sort((a, b) => a.pid - b.pid);
  return { processes, before };
}

const byTypeAndInode = (a: Namespace, b: Namespace) =>
  a.type === b.type ? a.inode - b.inode : a.type < b.type ? -1 : 1;
const inodeOf = (id: string) => Number(id.slice(id.indexOf(":") + 1));
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The inventory after changes: a new object; `base` is left as it was, and the parts that did
 * not change are shared with it. */
export function applyChanges(base: Inventory, changes: InventoryChanges, adopt: AdoptProcess = (p) => p): Inventory {
  const { processes, before } = applyProcesses(base.processes, changes.processes, adopt);
  const namespaces = applyKeyed(base.namespaces, changes.namespaces, (n) => n.id);
  const sentWhole = new Set((changes.namespaces?.upsert ?? []).map((n) => n.id));
  applyMembership(namespaces, sentWhole, before, changes);
  const next: Inventory = {
    ...base,
    host: changes.host ?? base.host,
    warnings: changes.warnings ?? base.warnings,
    namespaces:
      changes.namespaces || changes.processes ? [...namespaces.values()].sort(byTypeAndInode) : base.namespaces,
    processes,
  };
  if (changes.netstacks)
    next.netstacks = [...applyKeyed(base.netstacks ?? [], changes.netstacks, (s) => s.ns).values()].sort(
      (a, b) => inodeOf(a.ns) - inodeOf(b.ns),
    );
  if (changes.findings) next.findings = changes.findings;
  if (changes.containers)
    next.containers = [...applyKeyed(base.containers ?? [], changes.containers, (c) => c.id).values()].sort(byId);
  return next;
}
