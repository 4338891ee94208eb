import type { Holder, Inventory, Process } from "@nsatlas/protocol";

// A hub holds the inventory of every host: at 500 hosts x 1,000 processes, millions of small
// objects that the garbage collector walks again and again. Most of them repeat: the 8 inodes
// of `ns` (most processes share all their namespaces, and the initial ones have the same
// inodes on every Linux host) and the `process` holders (one per process per namespace).
// Sharing one copy of each roughly halves the hub's memory and its GC time. Shared objects are
// never changed afterwards: the hub treats inventories as immutable (the change codec's applyChanges copies).

/** Entries before a table starts over: namespaces come and go, the tables must not grow forever. */
const MAX_ENTRIES = 100_000;
const nsSets = new Map<string, Process["ns"]>();
const forChildren = new Map<string, Process["nsForChildren"]>();

function shared<T>(table: Map<string, T>, key: string, value: T): T {
  const known = table.get(key);
  if (known !== undefined) return known;
  if (table.size >= MAX_ENTRIES) table.clear(); // objects already shared stay shared
  table.set(key, value);
  return value;
}

/** Makes a process (freshly parsed, owned by the hub) use the shared copies of its inode sets. */
export function internProcess(p: Process): Process {
  const n = p.ns;
  p.ns = shared(nsSets, `${n.cgroup}:${n.ipc}:${n.mnt}:${n.net}:${n.pid}:${n.time}:${n.user}:${n.uts}`, n);
  const c = p.nsForChildren;
  p.nsForChildren = shared(forChildren, `${c.pid}:${c.time}`, c);
  return p;
}

/** Interns a freshly parsed inventory in place: inode sets shared across processes and hosts,
 * and one `process` holder object per pid shared by all the namespaces that list it. */
export function internInventory(inv: Inventory): Inventory {
  for (const p of inv.processes) internProcess(p);
  const holders = new Map<number, Holder>();
  for (const ns of inv.namespaces) {
    for (let i = 0; i < ns.holders.length; i++) {
      const h = ns.holders[i] as Holder;
      if (h.kind !== "process") continue;
      const known = holders.get(h.pid);
      if (known) ns.holders[i] = known;
      else holders.set(h.pid, h);
    }
  }
  return inv;
}
