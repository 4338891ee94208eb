import type { AppliedChange, FleetEvent, FleetStore } from "@nsatlas/hub";
import type { HostSummary, Inventory, InventoryChanges } from "@nsatlas/protocol";
import { hostSummary } from "../api/host-summary.js";

// What one tab's live subscription gets. A tab names the hosts it shows: for each it receives
// the hub's deltas as they are applied (the agent's own changes, applied in the browser with
// the same codec as in the hub), tracked by `hostId/epoch/seq`. A tab that comes back with the
// id of the last change it has gets what it missed while the hub still keeps it (a bounded
// ring per host), else one snapshot; a Kubernetes watch resumes from a resourceVersion or
// answers 410 Gone the same way. A tab that names no host gets every host's summary.

export type LiveEvent =
  | { kind: "summary"; hostId: string; at: number; summary: HostSummary }
  | { kind: "removed"; hostId: string; at: number }
  | {
      kind: "snapshot";
      hostId: string;
      at: number;
      epoch: string;
      seq: number;
      summary: HostSummary;
      inventory: Inventory;
    }
  | {
      kind: "changes";
      hostId: string;
      at: number;
      epoch: string;
      baseSeq: number;
      seq: number;
      summary: HostSummary;
      changes: InventoryChanges;
    };

/** A host's position as a tracked event id: `hostId/epoch/seq` (agent ids have no `/`). */
export const liveEventId = (hostId: string, epoch: string, seq: number) => `${hostId}/${epoch}/${seq}`;

export function parseLiveEventId(id: string | null | undefined): { hostId: string; epoch: string; seq: number } | null {
  if (!id) return null;
  const first = id.indexOf("/");
  const last = id.lastIndexOf("/");
  if (first <= 0 || last <= first + 1) return null;
  const seq = Number(id.slice(last + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return null;
  return { hostId: id.slice(0, first), epoch: id.slice(first + 1, last), seq };
}

/** Queued items beyond which a shown host's pending changes collapse into one snapshot (and
 * summaries, always one per host, stop piling): a tab that reads slowly costs bounded memory. */
const MAX_PENDING = 256;

type Pending =
  | { kind: "changes"; event: Extract<LiveEvent, { kind: "changes" }> }
  | { kind: "snapshot"; hostId: string }
  /** id: the host's position when queued, for a shown host (see next()). */
  | { kind: "summary"; hostId: string; id: string | null }
  | { kind: "removed"; hostId: string };

/** The events of one subscription, in order; snapshots and summaries are taken when sent, so
 * they are never older than what precedes them. */
export class LiveFeed {
  readonly #fleet: FleetStore;
  readonly #shown: ReadonlySet<string> | null;
  #pending: Pending[] = [];
  /** Hosts with a snapshot or summary pending: later events of theirs are already in it. */
  readonly #snapshotDue = new Set<string>();
  readonly #summaryDue = new Set<string>();

  /** shown: the hosts whose inventories the tab keeps; null for the fleet's summaries. */
  constructor(fleet: FleetStore, shown: readonly string[] | null) {
    this.#fleet = fleet;
    this.#shown = shown ? new Set(shown) : null;
  }

  get size(): number {
    return this.#pending.length;
  }

  /** What a tab starting (or resuming from lastEventId) needs for the hosts it shows. */
  start(lastEventId: string | null | undefined): void {
    if (!this.#shown) return;
    const from = parseLiveEventId(lastEventId);
    for (const id of this.#shown) {
      const host = this.#fleet.host(id);
      if (!host?.inventory) continue; // the snapshot that makes it known will follow
      const missed = from?.hostId === id ? this.#fleet.changesSince(id, from.epoch, from.seq) : null;
      if (missed) for (const c of missed) this.#changes(id, c, this.#summaryOf(id));
      else this.#snapshot(id);
    }
  }

  /** Takes one fleet event (the store calls listeners right after applying it). */
  offer(e: FleetEvent): void {
    if (this.#shown && !this.#shown.has(e.hostId)) return;
    if (e.kind === "removed") {
      this.#pending = this.#pending.filter(
        (p) => !("hostId" in p ? p.hostId === e.hostId : p.event.hostId === e.hostId),
      );
      this.#snapshotDue.delete(e.hostId);
      this.#summaryDue.delete(e.hostId);
      this.#pending.push({ kind: "removed", hostId: e.hostId });
      return;
    }
    if (!this.#shown || e.kind === "state") {
      if (this.#summaryDue.has(e.hostId)) return;
      this.#summaryDue.add(e.hostId);
      const host = this.#fleet.host(e.hostId);
      const id = this.#shown && host?.epoch ? liveEventId(host.id, host.epoch, host.seq) : null;
      this.#pending.push({ kind: "summary", hostId: e.hostId, id });
      return;
    }
    if (e.snapshot || e.changes === null || e.baseSeq === null) this.#snapshot(e.hostId);
    else {
      const host = this.#fleet.host(e.hostId);
      const change = { epoch: e.epoch, baseSeq: e.baseSeq, seq: e.seq, changes: e.changes, at: host?.inventoryAt ?? 0 };
      this.#changes(e.hostId, change, this.#summaryOf(e.hostId));
    }
    if (this.#pending.length > MAX_PENDING) this.#collapse();
  }

  /** The next event to send, with its tracked id (null for untracked ones); undefined when
   * nothing is pending, null for a host gone before its turn. A shown host's summary is
   * tracked too, by the position the tab has reached: tRPC's client takes the id of every
   * event, and an untracked one would make it forget where to resume. */
  next(): { id: string | null; event: LiveEvent } | null | undefined {
    const p = this.#pending.shift();
    if (!p) return undefined;
    const now = Date.now();
    if (p.kind === "changes") return { id: liveEventId(p.event.hostId, p.event.epoch, p.event.seq), event: p.event };
    if (p.kind === "removed") return { id: null, event: { kind: "removed", hostId: p.hostId, at: now } };
    const host = this.#fleet.host(p.hostId);
    if (p.kind === "summary") {
      this.#summaryDue.delete(p.hostId);
      if (!host) return null;
      return { id: p.id, event: { kind: "summary", hostId: p.hostId, at: now, summary: this.#summaryOf(p.hostId) } };
    }
    this.#snapshotDue.delete(p.hostId);
    if (!host?.inventory || host.epoch === null) return null;
    const event: LiveEvent = {
      kind: "snapshot",
      hostId: host.id,
      at: host.inventoryAt,
      epoch: host.epoch,
      seq: host.seq,
      summary: this.#summaryOf(host.id),
      inventory: host.inventory,
    };
    return { id: liveEventId(host.id, host.epoch, host.seq), event };
  }

  #summaryOf(hostId: string): HostSummary {
    return hostSummary(this.#fleet, this.#fleet.host(hostId) as NonNullable<ReturnType<FleetStore["host"]>>);
  }

  #changes(hostId: string, c: AppliedChange, summary: HostSummary): void {
    if (this.#snapshotDue.has(hostId)) return; // the snapshot, taken when sent, will hold it
    const event = {
      kind: "changes" as const,
      hostId,
      at: c.at,
      epoch: c.epoch,
      baseSeq: c.baseSeq,
      seq: c.seq,
      summary,
      changes: c.changes,
    };
    this.#pending.push({ kind: "changes", event });
  }

  #snapshot(hostId: string): void {
    if (this.#snapshotDue.has(hostId)) return;
    this.#pending = this.#pending.filter((p) => p.kind !== "changes" || p.event.hostId !== hostId);
    this.#snapshotDue.add(hostId);
    this.#pending.push({ kind: "snapshot", hostId });
  }

  /** Too much pending: every shown host's changes become one snapshot of it. */
  #collapse(): void {
    const hosts = new Set(this.#pending.flatMap((p) => (p.kind === "changes" ? [p.event.hostId] : [])));
    for (const id of hosts) this.#snapshot(id);
  }
}
