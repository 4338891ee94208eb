import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  type Msg,
  type NatsConnection,
} from "@nats-io/transport-node";
import type { FleetEvent, FleetStore } from "@nsatlas/hub";
import { type ActionFrame, type ActionResultFrame, actionRefusal } from "@nsatlas/protocol";
import type { Logger } from "../logger.js";
import { BusDecoder, BusEncoder } from "./bus-codec.js";
import { ActionReply, ActionRequest, BusMessage, SyncRequest } from "./bus-messages.js";
import type { NatsSettings } from "./nats-settings.js";

/** How often a replica lists the hosts it holds (anti-entropy and liveness of its hosts). */
export const BEAT_MS = 1_000;
/** A host is asked for again at most this often (its snapshot may be on its way). */
const SYNC_EVERY_MS = 3_000;
/** Room left in a NATS message for its subject and headers. */
const PAYLOAD_SLACK = 1024;

export interface FleetBusOptions {
  settings: NatsSettings;
  fleet: FleetStore;
  log: Logger;
  /** Sends an action frame to a host whose agent is connected here; false without a socket. */
  sendToLocal: (hostId: string, frame: ActionFrame) => boolean;
  /** Hands the result of an action run through another replica to this replica's dispatcher. */
  deliverResult: (hostId: string, result: ActionResultFrame) => void;
  actionTimeoutMs: number;
  /** This replica's id on the bus (default: random per start). */
  replicaId?: string;
}

export interface FleetBusStats {
  connected: boolean;
  published: number;
  received: number;
  rejected: number;
  syncRequests: number;
  publishedBytes: number;
  receivedBytes: number;
}

export interface FleetBus {
  readonly replicaId: string;
  /** Connected to NATS now (readiness). */
  connected(): boolean;
  /** Sends an action to a host held by `replica`; its result comes back through deliverResult. */
  sendAction(hostId: string, replica: string, frame: ActionFrame): boolean;
  /** A result from a local agent: true when it answers an action another replica asked for. */
  takeResult(hostId: string, result: ActionResultFrame): boolean;
  stats(): FleetBusStats;
  close(): Promise<void>;
}

function connectionOptions(s: NatsSettings, name: string): ConnectionOptions {
  const tls =
    s.caFile || s.certFile || s.servers.some((u) => u.startsWith("tls:"))
      ? {
          ...(s.caFile ? { caFile: s.caFile } : {}),
          ...(s.certFile && s.keyFile ? { certFile: s.certFile, keyFile: s.keyFile } : {}),
        }
      : undefined;
  return {
    servers: s.servers,
    name,
    // A replica never gives up on NATS: it keeps serving its own agents meanwhile and
    // catches up through the beats once the connection is back.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    ...(s.user !== null && s.password !== null ? { user: s.user, pass: s.password } : {}),
    ...(s.token !== null ? { token: s.token } : {}),
    ...(s.credsFile !== null ? { authenticator: credsAuthenticator(readFileSync(s.credsFile)) } : {}),
    ...(tls ? { tls } : {}),
  };
}

/** Shares this replica's fleet through NATS: every replica keeps a watch cache of the whole
 * fleet. The replica that holds an agent's socket publishes the host (whole, after its hello
 * or on request), its deltas in order, its state, and a beat each second listing its hosts
 * and their sequence; the others mirror them in their fleet store (`replica` set), ask the
 * holder again when the beat shows they missed something, and route actions to the holder. */
export function startFleetBus(o: FleetBusOptions): FleetBus {
  const me = o.replicaId ?? randomBytes(6).toString("hex");
  const p = o.settings.prefix;
  const subject = {
    events: (r: string) => `${p}.fleet.ev.${r}`,
    direct: (to: string, from: string) => `${p}.fleet.to.${to}.${from}`,
    sync: (to: string, from: string) => `${p}.fleet.sync.${to}.${from}`,
    action: (r: string) => `${p}.fleet.act.${r}`,
  };
  const { fleet, log } = o;
  let nc: NatsConnection | null = null;
  let closed = false;
  const stats: FleetBusStats = {
    connected: false,
    published: 0,
    received: 0,
    rejected: 0,
    syncRequests: 0,
    publishedBytes: 0,
    receivedBytes: 0,
  };
  const encoder = new BusEncoder(() => (nc?.info?.max_payload ?? 1024 * 1024) - PAYLOAD_SLACK);
  const decoder = new BusDecoder();
  /** Per local host: the epoch and seq of what this replica last published of it. */
  const published = new Map<string, { epoch: string; seq: number }>();
  const askedAt = new Map<string, number>();
  /** Actions another replica asked this one to run: requestId → where the answer goes. */
  const remoteActions = new Map<string, { hostId: string; msg: Msg; timer: NodeJS.Timeout }>();
  let applyingRemoval = false;

  const publish = (to: string, message: BusMessage) => {
    if (!nc || nc.isClosed()) return;
    for (const chunk of encoder.encode(message)) {
      stats.published += 1;
      stats.publishedBytes += chunk.length;
      nc.publish(to, chunk);
    }
  };

  const hostMessage = (id: string): BusMessage | null => {
    const h = fleet.host(id);
    if (!h || h.replica !== null || h.inventory === null || h.epoch === null) return null;
    published.set(id, { epoch: h.epoch, seq: h.seq });
    return {
      t: "host",
      host: {
        id: h.id,
        hostname: h.hostname,
        bootId: h.bootId,
        agentVersion: h.agentVersion,
        readOnly: h.readOnly,
        labels: h.labels,
        capabilities: h.capabilities,
        credential: h.credential,
        connectedAt: h.connectedAt,
      },
      epoch: h.epoch,
      seq: h.seq,
      inventory: h.inventory,
    };
  };

  const onFleetEvent = (e: FleetEvent) => {
    if (e.kind === "removed") {
      published.delete(e.hostId);
      if (!applyingRemoval) publish(subject.events(me), { t: "removed", id: e.hostId });
      return;
    }
    const h = fleet.host(e.hostId);
    if (!h || h.replica !== null) return;
    if (e.kind === "state") {
      publish(subject.events(me), { t: "state", id: h.id, connected: e.state === "connected" });
      return;
    }
    const last = published.get(h.id);
    if (e.snapshot || !e.changes || !last || last.epoch !== h.epoch || h.epoch === null) {
      const m = hostMessage(h.id);
      if (m) publish(subject.events(me), m);
      return;
    }
    publish(subject.events(me), {
      t: "delta",
      id: h.id,
      epoch: h.epoch,
      baseSeq: last.seq,
      seq: h.seq,
      changes: e.changes,
    });
    published.set(h.id, { epoch: h.epoch, seq: h.seq });
  };
  const unsubscribe = fleet.subscribe(onFleetEvent);

  const beat = () => {
    const hosts: [string, string | null, number, boolean][] = [];
    for (const id of fleet.localHostIds()) {
      const h = fleet.host(id);
      const last = published.get(id);
      if (h) hosts.push([id, last?.epoch ?? null, last?.seq ?? 0, fleet.stateOf(h) === "connected"]);
    }
    publish(subject.events(me), { t: "beat", hosts });
  };

  const requestSync = (from: string, ids: string[]) => {
    const now = Date.now();
    const due = ids.filter((id) => (askedAt.get(id) ?? 0) + SYNC_EVERY_MS <= now);
    if (due.length === 0 || !nc) return;
    for (const id of due) askedAt.set(id, now);
    stats.syncRequests += 1;
    for (let i = 0; i < due.length; i += 1000) {
      nc.publish(subject.sync(from, me), JSON.stringify({ ids: due.slice(i, i + 1000) }));
    }
  };

  const onBusMessage = (from: string, m: BusMessage, direct: boolean) => {
    switch (m.t) {
      case "host": {
        const here = fleet.host(m.host.id);
        // An answer to our sync request must not take back a host whose agent is here now;
        // a host message on the events subject is a newer hello and does (4409 here).
        if (direct && here?.replica === null && here.sessionId !== null) return;
        published.delete(m.host.id);
        fleet.mirrorHost(from, m.host, m.epoch, m.seq, m.inventory);
        return;
      }
      case "delta":
        // A delta that does not apply is left to the next beat, which asks for the host again.
        fleet.mirrorDelta(from, m.id, m.epoch, m.baseSeq, m.seq, m.changes);
        return;
      case "state":
        fleet.mirrorState(from, m.id, m.connected);
        return;
      case "removed":
        applyingRemoval = true;
        try {
          fleet.remove(m.id);
        } finally {
          applyingRemoval = false;
        }
        return;
      case "beat": {
        const missing: string[] = [];
        for (const [id, epoch, seq, connected] of m.hosts) {
          const h = fleet.host(id);
          if (!h) {
            if (epoch !== null) missing.push(id);
          } else if (h.replica === from) {
            if (epoch !== null && (h.epoch !== epoch || h.seq !== seq)) missing.push(id);
            fleet.mirrorState(from, id, connected);
          } else if (h.replica === null && h.sessionId === null && epoch !== null && connected) {
            // Its agent left this replica and we missed the hello on the other one.
            missing.push(id);
          }
        }
        if (missing.length > 0) requestSync(from, missing);
        return;
      }
    }
  };

  const handlePayload = (from: string, data: Uint8Array, direct: boolean) => {
    if (from === me) return;
    stats.received += 1;
    stats.receivedBytes += data.length;
    try {
      const value = decoder.decode(from, data);
      if (value === undefined) return;
      const parsed = BusMessage.safeParse(value);
      if (!parsed.success) {
        stats.rejected += 1;
        log.warn(`fleet bus: invalid message from replica ${from}: ${parsed.error.issues[0]?.message ?? "?"}`);
        return;
      }
      onBusMessage(from, parsed.data, direct);
    } catch (err) {
      stats.rejected += 1;
      log.warn(`fleet bus: message from replica ${from}: ${(err as Error).message}`);
    }
  };

  const onSync = (from: string, data: Uint8Array) => {
    let ids: string[];
    try {
      const parsed = SyncRequest.safeParse(JSON.parse(Buffer.from(data).toString("utf8")));
      if (!parsed.success) throw new Error("invalid sync request");
      ids = parsed.data.ids;
    } catch (err) {
      stats.rejected += 1;
      log.warn(`fleet bus: sync request from ${from}: ${(err as Error).message}`);
      return;
    }
    for (const id of ids) {
      const m = hostMessage(id);
      if (m) publish(subject.direct(from, me), m);
    }
  };

  const onAction = (msg: Msg) => {
    const reply = (r: ActionReply) => msg.respond(JSON.stringify(r));
    let req: { hostId: string; frame: ActionFrame };
    try {
      const parsed = ActionRequest.safeParse(JSON.parse(Buffer.from(msg.data).toString("utf8")));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "invalid");
      req = parsed.data;
    } catch (err) {
      stats.rejected += 1;
      reply({ ok: false, code: "BAD_REQUEST", message: `invalid action request: ${(err as Error).message}` });
      return;
    }
    const h = fleet.host(req.hostId);
    if (!h || h.replica !== null || !o.sendToLocal(req.hostId, req.frame)) {
      reply({ ok: false, code: "AGENT_OFFLINE", message: `the agent of ${req.hostId} is not connected` });
      return;
    }
    const timer = setTimeout(() => remoteActions.delete(req.frame.requestId), o.actionTimeoutMs + 5_000);
    timer.unref();
    remoteActions.set(req.frame.requestId, { hostId: req.hostId, msg, timer });
  };

  const tokenAt = (s: string, fromEnd: number) => {
    const parts = s.split(".");
    return parts[parts.length - fromEnd] ?? "";
  };

  const beatTimer = setInterval(beat, BEAT_MS);
  beatTimer.unref();

  const dial = async (): Promise<NatsConnection | null> => {
    // Until the first connection, this loop retries (a replica may start before NATS); after
    // it, the client reconnects by itself.
    for (let attempt = 0; !closed; attempt++) {
      try {
        return await connect(connectionOptions(o.settings, `nsatlas-dashboard-${me}`));
      } catch (err) {
        if (attempt % 10 === 0) log.warn(`fleet bus: cannot reach NATS (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, 500).unref());
      }
    }
    return null;
  };

  const started = (async () => {
    const conn = await dial();
    if (!conn) return;
    if (closed) {
      await conn.close();
      return;
    }
    nc = conn;
    stats.connected = true;
    log.info(`fleet bus: replica ${me} connected to ${conn.getServer()}`);
    conn.subscribe(`${p}.fleet.ev.*`, { callback: (_e, m) => handlePayload(tokenAt(m.subject, 1), m.data, false) });
    conn.subscribe(`${p}.fleet.to.${me}.*`, {
      callback: (_e, m) => handlePayload(tokenAt(m.subject, 1), m.data, true),
    });
    conn.subscribe(`${p}.fleet.sync.${me}.*`, { callback: (_e, m) => onSync(tokenAt(m.subject, 1), m.data) });
    conn.subscribe(subject.action(me), { callback: (_e, m) => onAction(m) });
    // Everything this replica holds, whole, for the replicas that were there before it.
    for (const id of fleet.localHostIds()) {
      const m = hostMessage(id);
      if (m) publish(subject.events(me), m);
    }
    for await (const s of conn.status()) {
      if (s.type === "disconnect") {
        stats.connected = false;
        log.warn("fleet bus: NATS disconnected; reconnecting");
      } else if (s.type === "reconnect") {
        stats.connected = true;
        log.info(`fleet bus: NATS reconnected (${conn.getServer()})`);
      }
    }
  })().catch((err: unknown) => {
    stats.connected = false;
    if (!closed) log.error(`fleet bus: ${(err as Error).message}`);
  });

  return {
    replicaId: me,
    connected: () => stats.connected && nc !== null && !nc.isClosed(),
    sendAction(hostId, replica, frame) {
      if (!nc || nc.isClosed()) return false;
      nc.request(subject.action(replica), JSON.stringify({ hostId, frame }), { timeout: o.actionTimeoutMs + 2_000 })
        .then((msg) => {
          const parsed = ActionReply.safeParse(JSON.parse(Buffer.from(msg.data).toString("utf8")));
          if (!parsed.success) {
            o.deliverResult(hostId, actionRefusal(frame.requestId, "REPLICA_ERROR", "invalid reply from replica"));
          } else if (parsed.data.ok) o.deliverResult(hostId, parsed.data.result);
          else o.deliverResult(hostId, actionRefusal(frame.requestId, parsed.data.code, parsed.data.message));
        })
        .catch((err: Error & { code?: string }) => {
          // No answer in time: the dispatcher's own timeout reports it (and a late result).
          if (/timeout/i.test(err.code ?? err.message)) return;
          o.deliverResult(
            hostId,
            actionRefusal(frame.requestId, "AGENT_OFFLINE", `replica ${replica}: ${err.message}`),
          );
        });
      return true;
    },
    takeResult(hostId, result) {
      const pending = remoteActions.get(result.requestId);
      if (!pending || pending.hostId !== hostId) return false;
      clearTimeout(pending.timer);
      remoteActions.delete(result.requestId);
      pending.msg.respond(JSON.stringify({ ok: true, result } satisfies ActionReply));
      return true;
    },
    stats: () => ({ ...stats, connected: stats.connected && nc !== null && !nc.isClosed() }),
    async close() {
      closed = true;
      clearInterval(beatTimer);
      unsubscribe();
      for (const r of remoteActions.values()) clearTimeout(r.timer);
      remoteActions.clear();
      const conn = nc;
      nc = null;
      if (conn && !conn.isClosed()) await conn.drain().catch(() => conn.close());
      await started;
    },
  };
}
