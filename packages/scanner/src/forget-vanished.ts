import type { Process } from "@nsatlas/protocol";
import type { NamespaceEntry, NamespaceTable } from "./namespace-table.js";

/** Removes stacks that vanished between the walk and the stack read, and the processes that
 * were in them (they exited, which is how the stacks went), from the table and from every
 * namespace's members: the inventory then reads as if the scan had started a moment later.
 * Returns the processes that remain. */
export function forgetVanished(
  table: NamespaceTable,
  processes: Process[],
  gone: readonly NamespaceEntry[],
): Process[] {
  if (gone.length === 0) return processes;
  const inodes = new Set(gone.map((e) => e.inode));
  for (const e of gone) table.delete(e.type, e.inode);
  const exited = new Set(processes.filter((p) => p.ns.net !== null && inodes.has(p.ns.net)).map((p) => p.pid));
  if (exited.size === 0) return processes;
  for (const e of table.entries()) {
    e.pids = e.pids.filter((pid) => !exited.has(pid));
    e.holders = e.holders.filter((h) => !("pid" in h) || !exited.has(h.pid));
  }
  return processes.filter((p) => !exited.has(p.pid));
}
