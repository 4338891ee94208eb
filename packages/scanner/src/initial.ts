import type { NamespaceType, Process } from "@nsatlas/protocol";

export interface InitialNamespaces {
  from: "pid1" | "kthreadd" | "none";
  byType: Map<NamespaceType, number>;
}

/** The initial namespaces are PID 1's. PID 1's links can be unreadable even to root (a
 * hardened or foreign init); kthreadd (PID 2, parent 0) and every kernel thread always live
 * in the initial namespaces, so it stands in. */
export function findInitialNamespaces(processes: readonly Process[]): InitialNamespaces {
  const pid1 = processes.find((p) => p.pid === 1);
  const kthreadd = processes.find((p) => p.pid === 2 && p.ppid === 0 && p.comm === "kthreadd");
  const source = pid1 ?? kthreadd;
  const byType = new Map<NamespaceType, number>();
  if (source)
    for (const [type, inode] of Object.entries(source.ns)) if (inode !== null) byType.set(type as NamespaceType, inode);
  return { from: pid1 ? "pid1" : kthreadd ? "kthreadd" : "none", byType };
}
