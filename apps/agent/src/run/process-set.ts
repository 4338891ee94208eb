import { readdirSync, readFileSync } from "node:fs";

/** PF_KTHREAD in field 9 (flags) of /proc/<pid>/stat (include/linux/sched.h). */
const PF_KTHREAD = 0x00200000;

function isKernelThread(procRoot: string, pid: number): boolean {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, "utf8");
    const flags = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[6]);
    return (flags & PF_KTHREAD) !== 0;
  } catch {
    return true; // gone already: it cannot matter to the next scan
  }
}

function listPids(procRoot: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  return pids;
}

/** Tells cheaply whether user processes came or went since the last look: one readdir of
 * the proc root, plus one stat read per new pid. Kernel threads (kworkers come and go all
 * the time and all live in the initial namespaces) do not count as a change; the periodic
 * full scan refreshes them. */
export class ProcessSet {
  #known = new Map<number, boolean>(); // pid -> is a kernel thread

  constructor(private readonly procRoot: string) {
    this.changed();
  }

  /** True when a user process started or exited since the previous call. */
  changed(): boolean {
    const now = new Set(listPids(this.procRoot));
    let changed = false;
    for (const [pid, kthread] of this.#known) {
      if (now.has(pid)) continue;
      this.#known.delete(pid);
      if (!kthread) changed = true;
    }
    for (const pid of now) {
      if (this.#known.has(pid)) continue;
      const kthread = isKernelThread(this.procRoot, pid);
      this.#known.set(pid, kthread);
      if (!kthread) changed = true;
    }
    return changed;
  }
}
