import { existsSync, type FSWatcher, watch } from "node:fs";
import type { Inventory, InventoryChanges } from "@nsatlas/protocol";
import { diffInventory } from "@nsatlas/scanner";
import { type ProcessEvents, ProcessSet } from "./process-set.js";

export interface ScanLoopOptions {
  /** One full scan; `reuse` lists processes whose argv and container hint are still current. */
  scanOnce: (reuse?: Inventory["processes"]) => Inventory;
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

/** Keeps an inventory current. Three triggers, cheapest first:
 *  - the netns dir is watched (inotify): a named stack that appears or vanishes rescans at once;
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
  #pending: NodeJS.Immediate | null = null;
  #lastFull = Date.now();
  #lastScan = 0;
  #eventTimer: NodeJS.Timeout | null = null;
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
    // With process events nothing needs to run every interval: events wake the loop (at most
    // one scan per interval), and only the full rescan is periodic. Without them, a tick polls.
    if (this.#processes.evented) this.#timers.push(setInterval(() => this.#fullTick(), this.o.fullEveryMs));
    else this.#timers.push(setInterval(() => this.#tick(), this.o.intervalMs));
    this.#started = true;
  }

  stop(): void {
    this.#started = false;
    if (this.#eventTimer) clearTimeout(this.#eventTimer);
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#watcher?.close();
    this.#watcher = null;
    if (this.#pending) clearImmediate(this.#pending);
  }

  /** Scans right now, reporting changes before returning (after an action, so the hub has the
   * new state before the action's result). */
  scanNow(): void {
    this.#scan();
  }

  /** Replaces the inventory with one derived without a kernel scan (containers renamed by an
   * engine event), reporting the changes. */
  replace(next: Inventory): void {
    const changes = diffInventory(this.#inventory, next);
    this.#inventory = next;
    if (changes) this.o.onChange(changes, next);
  }

  /** Schedules a scan soon (coalescing bursts of triggers into one scan). */
  requestScan(): void {
    if (this.#pending) return;
    this.#pending = setImmediate(() => {
      this.#pending = null;
      this.#scan();
    });
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

  #scan(): void {
    try {
      this.#processes.changed(); // what this scan sees is the new baseline
      const next = this.o.scanOnce(this.#processes.reusable(this.#inventory.processes));
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
      this.#watcher = watch(this.o.netnsDir, () => this.requestScan());
      this.#watcher.on("error", () => {
        this.#watcher?.close();
        this.#watcher = null;
      });
    } catch (err) {
      this.o.onError(err);
    }
  }
}
