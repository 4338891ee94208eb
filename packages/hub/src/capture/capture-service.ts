import {
  type ActionResultFrame,
  type CaptureEndFrame,
  type CaptureRef,
  type CaptureStopFrame,
  type CaptureStopReason,
  type CaptureSummary,
  captureUrl,
  isPacketBlock,
  MAX_CAPTURE_CHUNK,
  PcapngReader,
} from "@nsatlas/protocol";
import { ActionError } from "../actions/action-error.js";
import type { ActionRequestMeta } from "../actions/action-service.js";
import type { StoredPlan } from "../actions/plan-store.js";
import type { AuditSink } from "../audit/audit-log.js";
import type { Role } from "../token-store.js";
import type { CaptureReadable } from "./capture-readable.js";
import { type CaptureRecord, CaptureStore, summaryOf } from "./capture-store.js";

/** Roles that may always read packets; NSATLAS_CAPTURE_ROLES adds to them, never removes. */
export const CAPTURE_READING_ROLES: readonly Role[] = ["admin", "operator"];
/** Roles that may see the list of captures (not their packets). */
const CAPTURE_LISTING_ROLES: readonly Role[] = ["admin", "operator", "auditor"];
/** Data past a capture's maxBytes that the hub still takes (the agent stops at the limit). */
const BYTES_SLACK = MAX_CAPTURE_CHUNK;
/** Stop reasons that are a limit being hit (each is an audit row of its own kind). */
const LIMIT_REASONS = new Set<CaptureStopReason>(["maxSeconds", "maxBytes", "maxPackets", "hub-disk-limit"]);

export interface CaptureServiceOptions {
  dir: string;
  audit: AuditSink;
  /** Sends a frame to the agent of a host; false when it is not connected. */
  send: (hostId: string, frame: CaptureStopFrame) => boolean;
  /** NSATLAS_CAPTURE_CONCURRENT: running captures per host at most. */
  concurrent: number;
  /** NSATLAS_CAPTURE_MAX_BYTES: capture files on disk at most, together. */
  maxDiskBytes: number;
  /** NSATLAS_CAPTURE_RETENTION: how long an ended capture's file is kept. */
  retentionMs: number;
  /** NSATLAS_CAPTURE_ROLES: roles that may read packets besides admin and operator. */
  extraReadingRoles: readonly Role[];
  now?: () => number;
}

/** Captures as the hub runs them: the record made before the agent is asked, the pcapng the
 * agent streams (checked block by block, bounded per capture and on disk), how each ended,
 * and who may list, read, stop and delete them — every step an audit row. */
export class CaptureService {
  readonly store: CaptureStore;
  readonly #readers = new Map<string, PcapngReader>();
  readonly #readingRoles: Set<Role>;
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly o: CaptureServiceOptions) {
    this.store = new CaptureStore(o.dir, o.now);
    this.#readingRoles = new Set([...CAPTURE_READING_ROLES, ...o.extraReadingRoles.filter((r) => r !== "agent")]);
    this.#timer = setInterval(() => this.prune(), 60_000);
    this.#timer.unref();
    this.prune();
  }

  mayRead = (role: Role) => this.#readingRoles.has(role);
  mayList = (role: Role) => CAPTURE_LISTING_ROLES.includes(role);

  #running(hostId: string): number {
    return this.store.list().filter((r) => r.hostId === hostId && r.state === "running").length;
  }

  /** 409 CAPTURE_LIMIT when the host runs NSATLAS_CAPTURE_CONCURRENT captures already. */
  checkLimit(hostId: string): void {
    const n = this.#running(hostId);
    if (n >= this.o.concurrent)
      throw new ActionError("conflict", "CAPTURE_LIMIT", `${hostId} runs ${n} captures (NSATLAS_CAPTURE_CONCURRENT)`);
  }

  /** The record of a confirmed capture, made before its frame leaves so no byte is lost. */
  begin(meta: ActionRequestMeta, plan: StoredPlan): void {
    const a = plan.action;
    if (a.type !== "capture.start") return;
    this.checkLimit(plan.hostId);
    const p = a.params;
    this.store.create({
      id: meta.requestId,
      hostId: plan.hostId,
      stack: plan.confirm,
      ns: plan.impact.stacks[0] ?? null,
      link: p.link,
      filter: p.filter,
      excluded: null,
      limits: { snaplen: p.snaplen, maxSeconds: p.maxSeconds, maxBytes: p.maxBytes, maxPackets: p.maxPackets },
      startedBy: { name: meta.actor.name, role: meta.actor.role },
      startedAt: new Date(this.#now()).toISOString(),
      endedAt: null,
      state: "running",
      stopReason: null,
      packets: 0,
      bytes: 0,
      drops: null,
      error: null,
    });
    this.#readers.set(meta.requestId, new PcapngReader());
  }

  /** The agent's answer to the start: the capture runs, or it failed before it began. */
  started(id: string, result: ActionResultFrame | null, error?: string): CaptureRef | null {
    const rec = this.store.get(id);
    if (!rec) return null;
    if (result?.status === "succeeded") {
      if (result.stdout.startsWith("excluded: ")) rec.excluded = result.stdout.slice(10);
      return { id, url: captureUrl(id) };
    }
    this.#end(rec, "failed", { error: result?.error?.message ?? error ?? "the agent did not start it" });
    return null;
  }

  /** A binary data frame of a host's agent; ignored unless it is that host's running capture. */
  data(hostId: string, captureId: string, pcapng: Uint8Array): void {
    const rec = this.store.get(captureId);
    const reader = this.#readers.get(captureId);
    if (!rec || !reader || rec.hostId !== hostId || rec.state !== "running") return;
    if (rec.bytes + pcapng.length > rec.limits.maxBytes + BYTES_SLACK) {
      this.#stopAt(rec, "maxBytes");
      return;
    }
    if (this.store.diskBytes() + pcapng.length > this.o.maxDiskBytes) {
      this.#stopAt(rec, "hub-disk-limit");
      return;
    }
    const blocks = reader.push(pcapng);
    if (reader.error !== null || reader.pending > 0) {
      // Not whole pcapng blocks: an agent bug or a forged frame. Nothing of it is stored.
      this.#end(rec, "failed", { error: `the agent sent a bad pcapng stream (${reader.error ?? "a partial block"})` });
      this.o.send(hostId, { type: "capture-stop", captureId, reason: "failed" });
      return;
    }
    this.store.append(captureId, pcapng, blocks.filter(isPacketBlock).length);
  }

  /** The agent says the capture ended (dumpcap exited). */
  ended(hostId: string, f: CaptureEndFrame): void {
    const rec = this.store.get(f.captureId);
    if (!rec || rec.hostId !== hostId) return;
    this.#end(rec, f.reason, { drops: f.drops, excluded: f.excluded ?? rec.excluded, error: f.error });
  }

  #stopAt(rec: CaptureRecord, reason: CaptureStopReason): void {
    this.o.send(rec.hostId, { type: "capture-stop", captureId: rec.id, reason });
    this.#end(rec, reason, {});
  }

  #end(rec: CaptureRecord, reason: CaptureStopReason, patch: Partial<CaptureRecord>): void {
    const state = reason === "failed" || reason === "vanished" ? "failed" : "stopped";
    const done = this.store.finish(rec.id, { ...patch, state, stopReason: reason });
    this.#readers.delete(rec.id);
    if (!done) return;
    this.o.audit.append({
      actor: done.startedBy.name,
      role: done.startedBy.role,
      requestId: done.id,
      action: LIMIT_REASONS.has(reason) ? "capture.limit" : "capture.end",
      target: { host: done.hostId, namespace: done.ns, name: done.stack },
      params: this.#auditParams(done),
      result: reason,
      error: done.error,
    });
  }

  #auditParams(r: CaptureRecord) {
    return { capture: r.id, link: r.link, filter: r.filter, packets: r.packets, bytes: r.bytes, drops: r.drops };
  }

  #owned(meta: ActionRequestMeta, id: string, action: string, allowed: boolean): CaptureRecord {
    const rec = this.store.get(id);
    const target = { host: rec?.hostId ?? null, namespace: rec?.ns ?? null, name: rec?.stack ?? id };
    const row = { actor: meta.actor.name, role: meta.actor.role, sourceIp: meta.sourceIp, requestId: meta.requestId };
    if (!allowed) {
      const message = `the ${meta.actor.role} role may not ${action.slice(8)} captures`;
      this.o.audit.append({ ...row, action, target, result: "denied", error: `FORBIDDEN: ${message}` });
      throw new ActionError("forbidden", "FORBIDDEN", message);
    }
    if (!rec) throw new ActionError("not-found", "NO_SUCH_CAPTURE", `no capture ${JSON.stringify(id)}`);
    this.o.audit.append({ ...row, action, target, params: this.#auditParams(rec), result: "ok" });
    return rec;
  }

  list(role: Role): CaptureSummary[] {
    if (!this.mayList(role)) throw new ActionError("forbidden", "FORBIDDEN", `the ${role} role may not list captures`);
    return this.store.list().map(summaryOf);
  }

  /** The pcapng (growing while the capture runs); an audit row names who read it. */
  download(meta: ActionRequestMeta, id: string): { record: CaptureRecord; stream: CaptureReadable } {
    const record = this.#owned(meta, id, "capture.download", this.mayRead(meta.actor.role));
    return { record, stream: this.store.stream(id) };
  }

  stop(meta: ActionRequestMeta, id: string): CaptureSummary {
    const rec = this.#owned(meta, id, "capture.stop", CAPTURE_READING_ROLES.includes(meta.actor.role));
    if (rec.state === "running") {
      // The agent's capture-end carries the final counts; without an agent it ends here.
      const sent = this.o.send(rec.hostId, { type: "capture-stop", captureId: id, reason: "stopped" });
      if (!sent) this.#end(rec, "agent-disconnect", {});
    }
    return summaryOf(rec);
  }

  remove(meta: ActionRequestMeta, id: string): void {
    const rec = this.#owned(meta, id, "capture.delete", CAPTURE_READING_ROLES.includes(meta.actor.role));
    if (rec.state === "running") this.#stopAt(rec, "stopped");
    this.store.remove(id);
  }

  /** The host's socket closed: its captures end (the agent stopped them too). */
  hostGone(hostId: string): void {
    for (const r of this.store.list())
      if (r.hostId === hostId && r.state === "running") this.#end(r, "agent-disconnect", {});
  }

  prune(): void {
    this.store.prune(this.o.retentionMs);
  }

  #now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** The hub stops: what still runs ends "hub-restart" (the agents lose their uplink too). */
  close(): void {
    clearInterval(this.#timer);
    for (const r of this.store.list()) if (r.state === "running") this.#end(r, "hub-restart", {});
    this.store.close();
  }
}
