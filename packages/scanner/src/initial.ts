import type { RawProcess } from "@nsatlas/native";
import type { NamespaceType, Process } from "@nsatlas/protocol";
import { parseStat } from "./parse/stat.js";

/** PID 2 named kthreadd whose parent is 0 (its stat is readable without root, unlike its links). */
function isKthreadd(r: RawProcess): boolean {
  if (r.pid !== 2) return false;
  try {
    const stat = parseStat(r.stat);
    return stat.comm === "kthreadd" && stat.ppid === 0;
  } catch {
    return false; // malformed stat: reported by fromProc
  }
}

export interface InitialNamespaces {
  from: "pid1" | "kthreadd" | "none";
  byType: Map<NamespaceType, number>;
  /** Why they are unknown (from "none"), for a warning. */
  why?: string;
}

/** The initial namespaces are PID 1's. PID 1's links can be unreadable even to root (a
 * hardened or foreign init); kthreadd (PID 2, parent 0) and every kernel thread always live
 * in the initial namespaces, so it stands in. kthreadd exists only in the initial pid
 * namespace: a proc root without it belongs to another pid namespace (a container's /proc),
 * whose PID 1 is the container's init, not the host's — then the initial namespaces are
 * unknown, and saying so beats marking the container's own as initial. */
export function findInitialNamespaces(processes: readonly Process[], raw: readonly RawProcess[]): InitialNamespaces {
  const byType = new Map<NamespaceType, number>();
  if (!raw.some(isKthreadd))
    return { from: "none", byType, why: "this proc root lists no kthreadd (it is another pid namespace's /proc)" };
  const pid1 = processes.find((p) => p.pid === 1);
  const kthreadd = processes.find((p) => p.pid === 2 && p.ppid === 0 && p.comm === "kthreadd");
  const source = pid1 && (!kthreadd || pid1.ns.pid === kthreadd.ns.pid) ? pid1 : kthreadd;
  if (!source) return { from: "none", byType, why: "neither PID 1 nor kthreadd is readable" };
  for (const [type, inode] of Object.entries(source.ns)) if (inode !== null) byType.set(type as NamespaceType, inode);
  return { from: source === pid1 ? "pid1" : "kthreadd", byType };
}
