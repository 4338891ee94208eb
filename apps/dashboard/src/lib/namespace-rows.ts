import type { Holder, Namespace, NamespaceType, Process } from "@nsatlas/protocol";
import type { UiInventory } from "./inventory-types";

export interface NamespaceRow {
  id: string;
  type: NamespaceType;
  inode: number;
  initial: boolean;
  names: string[];
  processCount: number;
  /** Non-process holders by kind, e.g. { bindmount: 1, fd: 2 }. */
  holderCounts: Partial<Record<Holder["kind"], number>>;
  /** The lowest pid inside, with its command (what lsns shows). */
  firstPid: number | null;
  command: string;
  owner: string | null;
  parent: string | null;
}

const commandOf = (p: Process | undefined) => (p ? p.cmdline.join(" ") || `[${p.comm}]` : "");

/** Rows of the namespaces table for one type, initial first, then by process count. */
export function namespaceRows(inv: UiInventory, type: NamespaceType): NamespaceRow[] {
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  return inv.namespaces
    .filter((n) => n.type === type)
    .map((n): NamespaceRow => {
      const holderCounts: NamespaceRow["holderCounts"] = {};
      for (const h of n.holders) if (h.kind !== "process") holderCounts[h.kind] = (holderCounts[h.kind] ?? 0) + 1;
      const first = n.pids[0] ?? null;
      return {
        id: n.id,
        type: n.type,
        inode: n.inode,
        initial: n.initial,
        names: n.names,
        processCount: n.pids.length,
        holderCounts,
        firstPid: first,
        command: first === null ? "" : commandOf(byPid.get(first)),
        owner: n.owner,
        parent: n.parent ?? null,
      };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.processCount - a.processCount || a.inode - b.inode);
}

export interface TreeNode {
  ns: Namespace;
  depth: number;
}

/** User or pid namespaces as a depth-first tree by `parent` (roots: no parent, or a parent not visible). */
export function namespaceTree(inv: UiInventory, type: "user" | "pid"): TreeNode[] {
  const all = inv.namespaces.filter((n) => n.type === type);
  const ids = new Set(all.map((n) => n.id));
  const children = new Map<string, Namespace[]>();
  const roots: Namespace[] = [];
  for (const n of all) {
    const parent = n.parent ?? null;
    if (parent === null || !ids.has(parent)) roots.push(n);
    else children.set(parent, [...(children.get(parent) ?? []), n]);
  }
  const out: TreeNode[] = [];
  const seen = new Set<string>();
  const visit = (n: Namespace, depth: number) => {
    if (seen.has(n.id)) return; // a cycle cannot happen in the kernel; guard anyway against bad input
    seen.add(n.id);
    out.push({ ns: n, depth });
    for (const c of (children.get(n.id) ?? []).sort((a, b) => a.inode - b.inode)) visit(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => Number(b.initial) - Number(a.initial) || a.inode - b.inode)) visit(r, 0);
  return out;
}
