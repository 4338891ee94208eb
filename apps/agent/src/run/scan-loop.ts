import { existsSync, type FSWatcher, watch } from "node:fs";
import type { Inventory, InventoryChanges } from "@nsatlas/protocol";
import { diffInventory } from "@nsatlas/scanner";
import { type ProcessEvents, ProcessSet } from "./process-set.js";

export interface ScanLoopOptions {
  /** One full scan; `reuse` lists processes whose argv and container hint are still current.
   * Used for the first scan (the constructor's) and when scanAsync is not given. */
  scanOnce: (reuse?: Inventory["processes"]) => Inventory;
  /** The same scan with its native reads as async work: while it runs, the event loop keeps
   * serving heartbeats and actions. The resident agent passes it. */
  scanAsync?: (reuse?: Inventory["processes"]) => Promise<Inventory>;
  /** Tells of changes to the agent's own mount table (the bind mount `ip netns add` makes a
   * moment after it created the netns file, which inotify does not see); null when it cannot. */
  watchMounts?: (onChange: () => void) => string | null;
  procRoot: string;
  netnsDir: string;
  intervalMs: number;
  fullEveryMs: number;
  /** Called with the changes of every scan that changed something. */
  onChange: (changes: InventoryChanges, inventory: Inventory) => void;
  onError: (err: unknown) => void;
  /** The kernel's process events, when the caller can offer them (else /proc is polled). */
  processEvents?: ProcessEvents | null;
}

/** How long a netns dir or mount table change waits for its other half (see #requestScanSoon). */
const SETTLE_MS = 5;

/** Keeps an inventory current, one scan at a time (a trigger during a scan queues one more).
 * Triggers, cheapest first:
 *  - the netns dir is watched (inotify) and so is our mount table (poll(2) on mountinfo): a
 *    named stack that appears or vanishes rescans at once, whatever else is going on;
 *  - every interval, new, exec'd or exited user processes (told by the kernel's process
 *    events, or found by polling /proc) rescan;
 *  - every fullEvery, a full rescan catches what neither shows: setns/unshare by running
 *    processes, new fd holders, links and addresses. */
export class ScanLoop {
  #inventory: Inventory;
  readonly #processes: ProcessSet;
  #timers: NodeJS.Timeout[] = [];
  #started = false;
  #watcher: FSWatcher | null = null;
  /** The scan that starts when the running one ends (at most one waits). */
  #queued: Promise<void> | null = null;
  #running: Promise<void> | null = null;
  #lastFull = Date.now();
  #lastScan = 0;
  #eventTimer: NodeJS.Timeout | null = null;
  #soon: NodeJS.Timeout | null = null;
  scans = 0;

  constructor(private readonly o: ScanLoopOptions) {
    this.#processes = new ProcessSet(o.procRoot, o.processEvents ?? null, () => this.#onProcessEvents());
    this.#inventory = o.scanOnce();
  }

  /** Why new and exited processes are found by polling /proc, or null when events tell. */
  get processPolling(): string | null {
    return this.#processes.fallbackReason;
  }

  current(): Inventory {
    return this.#inventory;
  }

  /** A fresh full scan, replacing the current inventory without reporting a change. */
  rescanSilently(): Inventory {
    this.#inventory = this.o.scanOnce();
    return this.#inventory;
  }

  start(): void {
    this.#watchNetnsDir();
    const whyNoMountWatch = this.o.watchMounts?.(() => {
      if (this.#started) this.#requestScanSoon();
    });
    if (whyNoMountWatch) this.o.onError(new Error(`mount table changes are not watched: ${whyNoMountWatch}`));
    // With process events nothing needs to run every interval: events wake the loop (at most
    // one scan per interval), and only the full rescan is periodic. Without them, a tick polls.
    if (this.#processes.evented) this.#timers.push(setInterval(() => this.#fullTick(), this.o.fullEveryMs));
    else this.#timers.push(setInterval(() => this.#tick(), this.o.intervalMs));
    this.#started = true;
  }

  stop(): void {
    this.#started = false;
    if (this.#eventTimer) clearTimeout(this.#eventTimer);
    if (this.#soon) clearTimeout(this.#soon);
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#watcher?.close();
    this.#watcher = null;
  }

  /** Scans now (after the running scan, if any), resolving once its changes were reported
   * (after an action, so the hub has the new state before the action's result). */
  scanNow(): Promise<void> {
    return this.#enqueue();
  }

  /** Replaces the inventory with one derived without a kernel scan (containers renamed by an
   * engine event), reporting the changes. */
  replace(next: Inventory): void {
    const changes = diffInventory(this.#inventory, next);
    this.#inventory = next;
    if (changes) this.o.onChange(changes, next);
  }

  /** Schedules a scan as soon as the running one ends (bursts of triggers become one scan). */
  requestScan(): void {
    void this.#enqueue();
  }

  /** Resolves when no scan is running or queued (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#queued ?? this.#running) await (this.#queued ?? this.#running);
  }

  /** `ip netns add` creates the file, then bind-mounts the stack onto it, a millisecond or
   * two apart (and `ip netns del` undoes both): inotify and the mount table tell of each
   * half. One scan a moment after the first signal sees both halves, where one at once would
   * see a half-made name and need another. */
  #requestScanSoon(): void {
    if (this.#soon) return;
    this.#soon = setTimeout(() => {
      this.#soon = null;
      this.requestScan();
    }, SETTLE_MS);
  }

  #enqueue(): Promise<void> {
    if (this.#queued) return this.#queued;
    const next: Promise<void> = (this.#running ?? Promise.resolve()).then(() => {
      this.#queued = null;
      this.#running = next;
      return this.#scan();
    });
    this.#queued = next;
    void next.finally(() => {
      if (this.#running === next) this.#running = null;
    });
    return next;
  }

  /** Process events arrived: scan once the interval since the last scan has passed. */
  #onProcessEvents(): void {
    if (!this.#started || this.#eventTimer) return;
    const wait = Math.max(0, this.#lastScan + this.o.intervalMs - Date.now());
    this.#eventTimer = setTimeout(() => {
      this.#eventTimer = null;
      if (this.#processes.changed()) this.requestScan();
    }, wait);
  }

  #fullTick(): void {
    if (!this.#watcher) this.#watchNetnsDir();
    if (Date.now() - this.#lastFull >= this.o.fullEveryMs - 50) this.requestScan();
  }

  #tick(): void {
    try {
      if (!this.#watcher) this.#watchNetnsDir();
      if (Date.now() - this.#lastFull >= this.o.fullEveryMs || this.#processes.changed()) this.requestScan();
    } catch (err) {
      this.o.onError(err);
    }
  }

  /** Never rejects: a failed scan is reported through onError. */
  async #scan(): Promise<void> {
    try {
      this.#processes.changed(); // what this scan sees is the new baseline
      const reuse = this.#processes.reusable(this.#inventory.processes);
      const next = this.o.scanAsync ? await this.o.scanAsync(reuse) : this.o.scanOnce(reuse);
      this.scans += 1;
      this.#lastFull = Date.now();
      this.#lastScan = this.#lastFull;
      const changes = diffInventory(this.#inventory, next);
      this.#inventory = next;
      if (changes) this.o.onChange(changes, next);
    } catch (err) {
      this.o.onError(err);
    }
  }

  #watchNetnsDir(): void {
    // `ip netns add` creates the dir on first use; until then the tick retries.
    if (!existsSync(this.o.netnsDir)) return;
    try {
      this.#watcher = watch(this.o.netnsDir, () => this.#requestScanSoon());
      this.#watcher.on("error", () => {
        this.#watcher?.close();
        this.#watcher = null;
      });
    } catch (err) {
      this.o.onError(err);
    }
  }
}
