import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type Credential, type FleetStore, HubFrameError, type Session } from "@nsatlas/hub";
import { AgentFrame, CloseCode, decodeCaptureData, type HubFrame, MAX_FRAME_BYTES } from "@nsatlas/protocol";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { type Authenticator, bearer, originAllowed } from "./auth.js";
import type { CredentialWatch } from "./credential-watch.js";
import { refuseUpgrade } from "./edge.js";
import type { Logger } from "./logger.js";
import type { ServerMetrics } from "./server-metrics.js";
import { sessionBudget } from "./session-budget.js";

export interface AgentIngestOptions {
  fleet: FleetStore;
  auth: Authenticator;
  /** Token name of this server's own local agent. */
  localAgentName: string | null;
  log: Logger;
  metrics: ServerMetrics;
  /** Closes the socket (4401) when its token is revoked. */
  watch?: CredentialWatch;
}

/** Packet data of a capture (a binary frame) of a host. */
type CaptureDataListener = (hostId: string, captureId: string, pcapng: Uint8Array) => void;

/** Internal Error: the hub failed on a valid frame; the agent reconnects and resyncs. */
const CLOSE_INTERNAL_ERROR = 1011;
const CLOSE_TRY_AGAIN_LATER = 1013;

export interface AgentAuditEvent {
  kind: "connect" | "disconnect" | "refused";
  agentId: string | null;
  credential: Credential["kind"] | null;
  remote: string;
  detail: Record<string, string | boolean | string[]>;
}

const refuse = (socket: Duplex, status: 401 | 403, message: string) =>
  refuseUpgrade(socket, status, status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", message);

/** The `/agent` websocket: authenticates the upgrade, validates every frame at the edge and
 * feeds the fleet store. Frames over MAX_FRAME_BYTES (after decompression) close with 1009. */
export function createAgentIngest(o: AgentIngestOptions) {
  let localAgentName = o.localAgentName;
  // One frame per macrotask (not a whole TCP read's worth at once): between two frames of a
  // flooding agent the event loop serves everyone else (/healthz, other agents, the UI).
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: true,
    allowSynchronousEvents: false,
  });
  const sockets = new Map<number, WebSocket>();

  async function credentialFor(req: IncomingMessage): Promise<Credential | null> {
    const secret = bearer(req);
    if (secret === null) return null;
    if (o.auth.isFleetToken(secret)) return { kind: "fleet-token" };
    const p = await o.auth.principal(secret);
    if (p?.role !== "agent") return null;
    return p.name === localAgentName ? { kind: "local", agentId: p.name } : { kind: "agent-token", agentId: p.name };
  }

  // Agent connects, disconnects and refusals, for whoever subscribes (the audit log).
  const agentListeners = new Set<(e: AgentAuditEvent) => void>();
  const audit = (e: AgentAuditEvent) => {
    for (const l of agentListeners) l(e);
  };
  // Packet data of captures (binary frames), for whoever subscribes (the capture service).
  const captureListeners = new Set<CaptureDataListener>();
  const closeSession = (id: number, code: number, reason: string) => sockets.get(id)?.close(code, reason);
  // The store asks for sessions to close (replaced by a newer one, host removed).
  o.fleet.onSignal((s) => {
    if (s.kind === "close-session") closeSession(s.sessionId, s.code, s.reason);
  });

  /** Hands a binary capture frame to the capture service; false when it is not one. */
  function captureFrame(session: Session, data: RawData): boolean {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const frame = decodeCaptureData(bytes);
    if (frame === null) return false;
    const host = session.hostId === null ? undefined : o.fleet.host(session.hostId);
    // Only the host this socket said hello as, and only while this socket is its session.
    if (host && host.sessionId === session.id)
      for (const l of captureListeners) l(host.id, frame.captureId, frame.pcapng);
    return true;
  }

  function attach(ws: WebSocket, session: Session, remote: string, req: IncomingMessage): void {
    sockets.set(session.id, ws);
    const credential = session.credential.kind;
    const unwatch =
      o.watch?.add({
        alive: async () => (await credentialFor(req)) !== null,
        close: (code, reason) => ws.close(code, reason),
      }) ?? (() => {});
    const budget = sessionBudget(ws);
    ws.on("message", (data, isBinary) => {
      // Capture data is bounded per capture by the capture service, not by the frame budget
      // that keeps inventory deltas in check.
      if (isBinary && captureFrame(session, data)) return;
      budget.charge();
      try {
        onMessage(data, isBinary);
      } catch (err) {
        // Not the agent's fault (e.g. the audit log cannot append on a full disk): close so
        // the agent reconnects and resyncs instead of streaming into a host that went stale.
        o.log.error(`agent ${remote} (${session.hostId ?? "no hello yet"}): ${(err as Error)?.stack ?? err}`);
        ws.close(CLOSE_INTERNAL_ERROR, "internal error");
      }
    });
    const onMessage = (data: RawData, isBinary: boolean) => {
      o.metrics.framesIn += 1;
      let json: unknown;
      try {
        json = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString("utf8") : data.toString());
      } catch {
        o.metrics.rejectedFrames += 1;
        o.log.warn(`agent ${remote}: frame is not JSON; closing`);
        ws.close(CloseCode.badFrame, "frame is not JSON");
        return;
      }
      const parsed = AgentFrame.safeParse(json);
      if (!parsed.success) {
        o.metrics.rejectedFrames += 1;
        const issue = parsed.error.issues[0];
        const why = issue ? `${issue.path.join(".") || "frame"}: ${issue.message}` : "invalid frame";
        o.log.warn(`agent ${remote} (${session.hostId ?? "no hello yet"}): invalid frame (${why}); closing`);
        ws.close(CloseCode.badFrame, `invalid frame: ${why}`.slice(0, 120));
        return;
      }
      try {
        const frame = parsed.data;
        const replies = o.fleet.receive(session, frame);
        if (frame.type === "hello") {
          const detail = { readOnly: frame.readOnly, capabilities: frame.capabilities, version: frame.version };
          audit({ kind: "connect", agentId: frame.agentId, credential, remote, detail });
        }
        for (const reply of replies) {
          if (reply.type === "resync") o.metrics.resyncs += 1;
          o.metrics.framesOut += 1;
          ws.send(JSON.stringify(reply));
        }
      } catch (err) {
        if (!(err instanceof HubFrameError)) throw err;
        o.metrics.rejectedFrames += 1;
        if (err.closeCode === CloseCode.forbidden) {
          const agentId = parsed.data.type === "hello" ? parsed.data.agentId : session.hostId;
          audit({ kind: "refused", agentId, credential, remote, detail: { reason: err.message } });
        }
        o.log.warn(`agent ${remote}: ${err.message}; closing ${err.closeCode}`);
        ws.close(err.closeCode, err.message.slice(0, 120));
      }
    };
    ws.on("close", () => {
      budget.stop();
      unwatch();
      sockets.delete(session.id);
      if (session.hostId !== null)
        audit({ kind: "disconnect", agentId: session.hostId, credential, remote, detail: {} });
      o.fleet.closeSession(session);
    });
    ws.on("error", (err) => o.log.warn(`agent ${remote}: ${err.message}`));
  }

  return {
    /** Sends a frame to the agent of a session; false when that socket is not open. */
    send(sessionId: number, frame: HubFrame): boolean {
      const ws = sockets.get(sessionId);
      if (!ws || ws.readyState !== ws.OPEN) return false;
      o.metrics.framesOut += 1;
      ws.send(JSON.stringify(frame));
      return true;
    },

    /** Closes the socket of a session (the fleet store asks when a host reconnects elsewhere). */
    closeSession,

    async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
      const remote = `${req.socket.remoteAddress ?? "?"}:${req.socket.remotePort ?? "?"}`;
      if (!originAllowed(req)) {
        o.log.warn(`agent ${remote}: refused, foreign Origin ${req.headers.origin}`);
        refuse(socket, 403, "foreign Origin");
        return;
      }
      // A credential that cannot be checked (database down) throws 503: the agent retries.
      const credential = await credentialFor(req);
      if (!credential) {
        o.log.warn(`agent ${remote}: refused, missing or bad token`);
        audit({
          kind: "refused",
          agentId: null,
          credential: null,
          remote,
          detail: { reason: "missing or bad agent token" },
        });
        refuse(socket, 401, "missing or bad agent token");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, o.fleet.openSession(credential), remote, req));
    },

    /** Subscribes to agent connects, disconnects and refusals; returns the unsubscribe. */
    onAgentEvent(listener: (e: AgentAuditEvent) => void): () => void {
      agentListeners.add(listener);
      return () => agentListeners.delete(listener);
    },

    /** Subscribes to capture packet data, from the host of the session; returns the unsubscribe. */
    onCaptureData(listener: CaptureDataListener): () => void {
      captureListeners.add(listener);
      return () => captureListeners.delete(listener);
    },

    setLocalAgentName(name: string | null): void {
      localAgentName = name;
    },

    close(): void {
      // 1013 (try again later): agents move to another replica; never a code they stop on.
      for (const ws of sockets.values()) ws.close(CLOSE_TRY_AGAIN_LATER, "server is draining");
      const open = [...sockets.values()];
      setTimeout(() => {
        for (const ws of open) ws.terminate();
      }, 1_000).unref();
      wss.close();
    },
  };
}
