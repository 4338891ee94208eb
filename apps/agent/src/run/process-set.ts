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

/** Where process starts and exits are learnt from: the kernel's process events, pushed
 * (the cheap way), or a readdir of the proc root on every tick (~7 µs a process). */
export interface ProcessEvents {
  /** null when subscribed, else why not (e.g. EPERM outside the initial pid namespace).
   * onEvents fires when events arrive after a take (so no polling timer is needed). */
  start(onEvents?: () => void): string | null;
  /** Events since the last call. */
  take(): number;
  /** Pids that exec'd since the last call, or null when too many to keep. */
  takeExecs?(): number[] | null;
}

/** Tells cheaply whether user processes came or went since the last look. With process
 * events (the real /proc, as root in the initial namespaces) a tick costs one counter read;
 * otherwise one readdir of the proc root plus one stat read per new pid. Kernel threads
 * (kworkers come and go all the time and all live in the initial namespaces) do not count as
 * a change either way; the periodic full scan refreshes them. */
export class ProcessSet {
  #known = new Map<number, boolean>(); // pid -> is a kernel thread
  readonly #events: ProcessEvents | null;
  /** Why the readdir fallback is used, or null with process events. */
  readonly fallbackReason: string | null;

  constructor(
    private readonly procRoot: string,
    events: ProcessEvents | null = null,
    onEvents?: () => void,
  ) {
    // Events describe this kernel's pids as the initial pid namespace sees them: only a scan
    // of the real /proc can use them.
    const why =
      events === null
        ? "no process events"
        : procRoot !== "/proc"
          ? "a proc root other than /proc"
          : events.start(onEvents);
    this.#events = why === null ? events : null;
    this.fallbackReason = why;
    if (this.#events) {
      this.#events.take();
      this.#events.takeExecs?.();
      // Execs from now on are told; before it, there was nothing to reuse.
      this.#execd = new Set();
    } else this.#poll();
  }

  /** Pids whose argv changed since the last reusable() (exec), or "all" when unknown. */
  #execd: Set<number> | "all" = "all";

  /** The processes of `previous` whose argv and container hint a scan may reuse: all but
   * those that exec'd since (only known with process events; otherwise none). */
  reusable<P extends { pid: number }>(previous: readonly P[]): P[] | undefined {
    this.#collectExecs();
    const execd = this.#execd;
    this.#execd = this.#events ? new Set() : "all";
    return execd === "all" ? undefined : previous.filter((p) => !execd.has(p.pid));
  }

  #collectExecs(): void {
    if (!this.#events?.takeExecs || this.#execd === "all") return;
    const pids = this.#events.takeExecs();
    if (pids === null) this.#execd = "all";
    else for (const pid of pids) this.#execd.add(pid);
  }

  /** Whether the kernel tells of process changes (else changed() polls the proc root). */
  get evented(): boolean {
    return this.#events !== null;
  }

  /** True when a user process started, exec'd or exited since the previous call. */
  changed(): boolean {
    if (!this.#events) return this.#poll();
    this.#collectExecs();
    return this.#events.take() > 0;
  }

  #poll(): boolean {
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
