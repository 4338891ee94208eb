import type { RawProcess } from "@nsatlas/native";
import { SLOT_TYPES } from "./from-proc.js";
import type { NamespaceTable } from "./namespace-table.js";

/** Registers threads whose namespace differs from their process's (setns(2) and unshare(2)
 * act on the calling thread only). Such a thread holds the namespace but does not make its
 * process a member: `pids` stays untouched. */
export function fromTasks(raw: readonly RawProcess[], table: NamespaceTable, procRoot: string): void {
  for (const r of raw) {
    for (let i = 0; i + 2 < r.tasks.length; i += 3) {
      const tid = r.tasks[i] as number;
      const type = SLOT_TYPES[r.tasks[i + 1] as number];
      const inode = r.tasks[i + 2] as number;
      if (!type) continue;
      table
        .ensure(type, inode, `${procRoot}/${r.pid}/task/${tid}/ns/${type}`)
        .holders.push({ kind: "task", pid: r.pid, tid });
    }
  }
}
