import {
  type ActionResultFrame,
  type AgentFrame,
  type CaptureEndFrame,
  CloseCode,
  type HostState,
  type HubFrame,
  type Inventory,
  type InventoryChanges,
  STALE_AFTER_MS,
} from "@nsatlas/protocol";
import { applyChanges } from "@nsatlas/protocol/change-codec";
import { type AppliedChange, ChangeRing, type ChangeRingLimits } from "./change-ring.js";
import { HubFrameError } from "./errors.js";
import { internInventory, internProcess } from "./intern.js";

/** How the agent on a session proved who it is. */
export type Credential =
  /** Its own `agent` token: the agentId is bound to the token's name. Actions allowed. */
  | { kind: "agent-token"; agentId: string }
  /** The shared fleet token: the agentId is self-declared, so the host is view-only. */
  | { kind: "fleet-token" }
  /** The dashboard's own local agent (a per-start token). */
  | { kind: "local"; agentId: string };

export interface Session {
  readonly id: number;
  readonly credential: Credential;
  hostId: string | null;
}

export interface HostRecord {
  id: string;
  hostname: string;
  bootId: string;
  agentVersion: string;
  readOnly: boolean;
  labels: Record<string, string>;
  capabilities: string[];
  credential: Credential["kind"];
  sessionId: number | null;
  lastFrameAt: number;
  connectedAt: number;
  epoch: string | null;
  seq: number;
  inventory: Inventory | null;
  /** When the hub applied the current inventory (snapshot or delta); 0 before any. */
  inventoryAt: number;
  /** Last state announced to subscribers, to emit state changes exactly once. */
  announcedState: HostState;
  resyncs: number;
  /** Id of the replica that holds this host's agent socket when that is another dashboard
   * replica (fleet shared through NATS); null when the socket is (or was last) here. */
  replica: string | null;
  /** For a mirrored host: its replica said the agent is connected (`lastFrameAt` is when). */
  replicaConnected: boolean;
}

/** What a replica publishes about a host whose agent it holds. */
export type MirroredHost = Pick<
  HostRecord,
  "id" | "hostname" | "bootId" | "agentVersion" | "readOnly" | "labels" | "capabilities" | "credential" | "connectedAt"
>;

export type { HostState };

export type FleetEvent =
  | { kind: "state"; hostId: string; state: HostState }
  | {
      kind: "inventory";
      hostId: string;
      changes: InventoryChanges | null;
      snapshot: boolean;
      /** The host's position after this event; a delta also names the seq it applied on. */
      epoch: string;
      seq: number;
      baseSeq: number | null;
    }
  | { kind: "removed"; hostId: string };

/** What the store asks of the layers around it, as events they subscribe to (onSignal): the
 * connection layer closes sessions, the action service takes results, the capture service
 * ends captures. The store is made
 * first and knows none of them. */
export type FleetSignal =
  /** A newer session of the same host replaced this one, or its host was removed. */
  | { kind: "close-session"; sessionId: number; code: number; reason: string }
  /** The result of an action, from the agent of the host it was sent to. */
  | { kind: "action-result"; hostId: string; result: ActionResultFrame }
  /** A capture of this host ended (its agent says how). */
  | { kind: "capture-end"; hostId: string; frame: CaptureEndFrame };

export interface FleetStoreOptions {
  now?: () => number;
  /** Called when a newer session of the same host replaces an older one (also a signal). */
  closeSession?: (sessionId: number, code: number, reason: string) => void;
  /** How many recent deltas per host are kept for subscribers that resume (changesSince). */
  changeRing?: ChangeRingLimits;
}

/** Fleet state: per host the latest inventory, built from a snapshot and sequenced deltas,
 * with change events for subscribers. Knows nothing of sockets or HTTP. */
export class FleetStore {
  readonly #hosts = new Map<string, HostRecord>();
  readonly #listeners = new Set<(e: FleetEvent) => void>();
  readonly #now: () => number;
  readonly #signalListeners = new Set<(s: FleetSignal) => void>();
  readonly #recent: ChangeRing;
  #nextSession = 1;

  constructor(options: FleetStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    const { closeSession } = options;
    if (closeSession) this.onSignal((s) => s.kind === "close-session" && closeSession(s.sessionId, s.code, s.reason));
    this.#recent = new ChangeRing(options.changeRing);
  }

  /** Subscribes to the store's signals; returns the unsubscribe. */
  onSignal(listener: (s: FleetSignal) => void): () => void {
    this.#signalListeners.add(listener);
    return () => this.#signalListeners.delete(listener);
  }

  #signal(s: FleetSignal): void {
    for (const l of this.#signalListeners) l(s);
  }

  #closeSession(sessionId: number, code: number, reason: string): void {
    this.#signal({ kind: "close-session", sessionId, code, reason });
  }

  openSession(credential: Credential): Session {
    return { id: this.#nextSession++, credential, hostId: null };
  }

  /** Handles one validated frame; returns the frames to send back. Throws HubFrameError. */
  receive(session: Session, frame: AgentFrame): HubFrame[] {
    if (frame.type === "hello") return this.#hello(session, frame);
    const host = session.hostId === null ? undefined : this.#hosts.get(session.hostId);
    if (!host || host.sessionId !== session.id) {
      throw new HubFrameError("NO_HELLO", CloseCode.badFrame, `${frame.type} before hello`);
    }
    host.lastFrameAt = this.#now();
    this.#announce(host);
    switch (frame.type) {
      case "heartbeat":
        return [];
      case "action-result":
        // Attributed to the host of this session: an agent cannot answer for another host.
        this.#signal({ kind: "action-result", hostId: host.id, result: frame });
        return [];
      case "capture-end":
        this.#signal({ kind: "capture-end", hostId: host.id, frame });
        return [];
      case "snapshot":
        host.epoch = frame.epoch;
        host.seq = frame.seq;
        host.inventory = internInventory(frame.inventory);
        host.inventoryAt = host.lastFrameAt;
        this.#recent.reset(host.id, frame.epoch, frame.seq);
        this.#emit({
          kind: "inventory",
          hostId: host.id,
          changes: null,
          snapshot: true,
          epoch: frame.epoch,
          seq: frame.seq,
          baseSeq: null,
        });
        return [{ type: "ack", epoch: frame.epoch, seq: frame.seq }];
      case "delta": {
        // A delta only applies on top of exactly the state it was computed from; anything
        // else (hub restarted, frames lost, another epoch) asks for a fresh snapshot.
        if (host.inventory === null || frame.epoch !== host.epoch || frame.baseSeq !== host.seq) {
          host.resyncs += 1;
          const reason =
            host.inventory === null || frame.epoch !== host.epoch
              ? `unknown epoch ${frame.epoch}`
              : `seq gap: have ${host.seq}, delta is based on ${frame.baseSeq}`;
          return [{ type: "resync", reason }];
        }
        host.inventory = applyChanges(host.inventory, frame.changes, internProcess);
        host.inventoryAt = host.lastFrameAt;
        host.seq = frame.seq;
        const applied = { epoch: frame.epoch, baseSeq: frame.baseSeq, seq: frame.seq, changes: frame.changes };
        this.#recent.push(host.id, { ...applied, at: host.inventoryAt });
        this.#emit({ kind: "inventory", hostId: host.id, snapshot: false, ...applied });
        return [{ type: "ack", epoch: frame.epoch, seq: frame.seq }];
      }
    }
  }

  #hello(session: Session, frame: Extract<AgentFrame, { type: "hello" }>): HubFrame[] {
    const cred = session.credential;
    if (session.hostId !== null) throw new HubFrameError("DOUBLE_HELLO", CloseCode.badFrame, "hello sent twice");
    if ((cred.kind === "agent-token" || cred.kind === "local") && frame.agentId !== cred.agentId) {
      throw new HubFrameError(
        "AGENT_ID_MISMATCH",
        CloseCode.forbidden,
        `this token belongs to agent ${JSON.stringify(cred.agentId)}, not ${JSON.stringify(frame.agentId)}`,
      );
    }
    const now = this.#now();
    const existing = this.#hosts.get(frame.agentId);
    // The fleet token's id is self-declared: it must not take over (and feed forged inventory
    // into) a host whose id a credential binds, connected or not.
    if (cred.kind === "fleet-token" && existing && existing.credential !== "fleet-token") {
      throw new HubFrameError(
        "AGENT_ID_BOUND",
        CloseCode.forbidden,
        `agent id ${JSON.stringify(frame.agentId)} is bound to an agent token; the fleet token cannot use it`,
      );
    }
    if (existing?.sessionId != null && existing.sessionId !== session.id) {
      this.#closeSession(existing.sessionId, CloseCode.replaced, "replaced by a newer connection of this agent");
    }
    const host: HostRecord = {
      id: frame.agentId,
      hostname: frame.hostname,
      bootId: frame.bootId,
      agentVersion: frame.version,
      readOnly: frame.readOnly,
      labels: frame.labels ?? {},
      capabilities: frame.capabilities,
      credential: cred.kind,
      sessionId: session.id,
      lastFrameAt: now,
      connectedAt: now,
      // The previous inventory stays visible until the snapshot that follows every hello.
      epoch: null,
      seq: 0,
      inventory: existing?.inventory ?? null,
      inventoryAt: existing?.inventoryAt ?? 0,
      announcedState: existing?.announcedState ?? "stale",
      resyncs: existing?.resyncs ?? 0,
      replica: null,
      replicaConnected: false,
    };
    this.#hosts.set(host.id, host);
    session.hostId = host.id;
    this.#announce(host);
    return [];
  }

  /** The socket of session closed. An old socket closing after its agent reconnected on a
   * new one changes nothing: only the current session's end makes the host stale. */
  closeSession(session: Session): void {
    const host = session.hostId === null ? undefined : this.#hosts.get(session.hostId);
    if (!host || host.sessionId !== session.id) return;
    host.sessionId = null;
    this.#announce(host);
  }

  stateOf(host: HostRecord): HostState {
    const live = host.replica === null ? host.sessionId !== null : host.replicaConnected;
    return live && this.#now() - host.lastFrameAt < STALE_AFTER_MS ? "connected" : "stale";
  }

  /** Another replica holds this host's agent now (its snapshot follows): a session of the
   * host here is displaced (4409) and the host becomes a mirror of that replica's. */
  mirrorHost(replica: string, meta: MirroredHost, epoch: string, seq: number, inventory: Inventory): void {
    const existing = this.#hosts.get(meta.id);
    if (existing?.sessionId != null) {
      this.#closeSession(existing.sessionId, CloseCode.replaced, "this agent connected to another dashboard replica");
    }
    const now = this.#now();
    const { id, hostname, bootId, agentVersion, readOnly, labels, capabilities, credential, connectedAt } = meta;
    const host: HostRecord = {
      id,
      hostname,
      bootId,
      agentVersion,
      readOnly,
      labels,
      capabilities,
      credential,
      sessionId: null,
      lastFrameAt: now,
      connectedAt,
      epoch,
      seq,
      inventory: internInventory(inventory),
      inventoryAt: now,
      announcedState: existing?.announcedState ?? "stale",
      resyncs: existing?.resyncs ?? 0,
      replica,
      replicaConnected: true,
    };
    this.#hosts.set(id, host);
    this.#recent.reset(id, epoch, seq);
    this.#emit({ kind: "inventory", hostId: id, changes: null, snapshot: true, epoch, seq, baseSeq: null });
    this.#announce(host);
  }

  /** A delta of a mirrored host, in its replica's sequence; false when it does not apply on
   * top of what this replica has (the caller asks that replica for the host again). */
  mirrorDelta(replica: string, id: string, epoch: string, baseSeq: number, seq: number, changes: InventoryChanges) {
    const host = this.#hosts.get(id);
    if (!host || host.replica !== replica || host.inventory === null) return false;
    if (host.epoch !== epoch || host.seq !== baseSeq) return false;
    host.inventory = applyChanges(host.inventory, changes, internProcess);
    host.inventoryAt = this.#now();
    host.seq = seq;
    // Mirrored changes join the ring too: a tab on this replica resumes as on the holder's.
    const applied = { epoch, baseSeq, seq, changes };
    this.#recent.push(id, { ...applied, at: host.inventoryAt });
    this.#emit({ kind: "inventory", hostId: id, snapshot: false, ...applied });
    return true;
  }

  /** The replica of a mirrored host vouches for its state (its heartbeat or a state change). */
  mirrorState(replica: string, id: string, connected: boolean): void {
    const host = this.#hosts.get(id);
    if (!host || host.replica !== replica) return;
    host.replicaConnected = connected;
    if (connected) host.lastFrameAt = this.#now();
    this.#announce(host);
  }

  /** Re-evaluates staleness (call every second or so); emits state changes. */
  tick(): void {
    for (const host of this.#hosts.values()) this.#announce(host);
  }

  host(id: string): HostRecord | undefined {
    return this.#hosts.get(id);
  }

  hosts(): HostRecord[] {
    return [...this.#hosts.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The host ids this replica holds the agent socket of (or did last). */
  localHostIds(): string[] {
    return [...this.#hosts.values()].filter((h) => h.replica === null).map((h) => h.id);
  }

  remove(id: string): boolean {
    const host = this.#hosts.get(id);
    if (!host) return false;
    if (host.sessionId !== null) this.#closeSession(host.sessionId, CloseCode.hostRemoved, "host removed");
    this.#hosts.delete(id);
    this.#recent.forget(id);
    this.#emit({ kind: "removed", hostId: id });
    return true;
  }

  /** The deltas a subscriber missed since (epoch, seq) of a host, or null when the hub no
   * longer has them (or never had that position): then only the current inventory helps. */
  changesSince(hostId: string, epoch: string, seq: number): AppliedChange[] | null {
    const host = this.#hosts.get(hostId);
    if (!host || host.epoch !== epoch) return null;
    return this.#recent.since(hostId, epoch, seq);
  }

  subscribe(listener: (e: FleetEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #announce(host: HostRecord): void {
    const state = this.stateOf(host);
    if (state === host.announcedState) return;
    host.announcedState = state;
    this.#emit({ kind: "state", hostId: host.id, state });
  }

  #emit(e: FleetEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        // A broken subscriber must not take the ingest path down; it is reported, not hidden.
        console.error("nsatlas hub: subscriber failed:", err);
      }
    }
  }
}
