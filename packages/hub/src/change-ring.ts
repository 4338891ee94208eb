import type { InventoryChanges } from "@nsatlas/protocol";

/** One applied delta of a host, as subscribers get it: on top of `baseSeq`, giving `seq`. */
export interface AppliedChange {
  epoch: string;
  baseSeq: number;
  seq: number;
  changes: InventoryChanges;
  /** When the hub applied it (ms since the epoch). */
  at: number;
}

/** How much of each host's recent past the hub keeps for subscribers that come back. */
export interface ChangeRingLimits {
  /** Deltas kept per host (at one scan a second, about a minute). */
  changes: number;
  /** Items (upserts and removals of every collection) kept per host, so that a burst of big
   * deltas cannot make the ring hold more than a few inventories' worth. */
  items: number;
}

export const DEFAULT_CHANGE_RING: ChangeRingLimits = { changes: 64, items: 20_000 };

const sizeOf = (c: InventoryChanges) =>
  1 +
  [c.namespaces, c.processes, c.netstacks, c.containers].reduce(
    (n, k) => n + (k?.upsert?.length ?? 0) + (k?.remove?.length ?? 0),
    0,
  );

interface HostRing {
  epoch: string;
  /** The seq the oldest kept change is based on: positions from here on can be caught up. */
  fromSeq: number;
  entries: AppliedChange[];
  items: number;
}

/** The latest deltas of each host of one epoch, bounded: a subscriber that saw (epoch, seq)
 * gets what followed while it is still here, else it must start over from a snapshot (as a
 * Kubernetes watch answers 410 Gone to a resourceVersion it no longer has). */
export class ChangeRing {
  readonly #hosts = new Map<string, HostRing>();
  readonly #limits: ChangeRingLimits;

  constructor(limits: ChangeRingLimits = DEFAULT_CHANGE_RING) {
    this.#limits = limits;
  }

  /** A snapshot starts the host over: nothing before it can be caught up any more. */
  reset(hostId: string, epoch: string, seq: number): void {
    this.#hosts.set(hostId, { epoch, fromSeq: seq, entries: [], items: 0 });
  }

  push(hostId: string, change: AppliedChange): void {
    const ring = this.#hosts.get(hostId);
    if (!ring || ring.epoch !== change.epoch) return; // the store resets before any delta
    ring.entries.push(change);
    ring.items += sizeOf(change.changes);
    while (ring.entries.length > this.#limits.changes || (ring.items > this.#limits.items && ring.entries.length > 0)) {
      const old = ring.entries.shift() as AppliedChange;
      ring.items -= sizeOf(old.changes);
      ring.fromSeq = old.seq;
    }
  }

  forget(hostId: string): void {
    this.#hosts.delete(hostId);
  }

  /** The changes after (epoch, seq), oldest first ([] when there are none yet), or null when
   * that position is not one this ring can continue: another epoch, or older than it keeps. */
  since(hostId: string, epoch: string, seq: number): AppliedChange[] | null {
    const ring = this.#hosts.get(hostId);
    if (!ring || ring.epoch !== epoch || seq < ring.fromSeq) return null;
    const last = ring.entries.at(-1)?.seq ?? ring.fromSeq;
    if (seq > last) return null; // a position this hub never had (another process's, or forged)
    return ring.entries.filter((c) => c.seq > seq);
  }
}
