import {
  ActionService,
  type AuditInput,
  type AuditStorage,
  CaptureService,
  type Db,
  type FleetStore,
  type HistoryStorage,
  HistoryStore,
  type PlanStorage,
  readAnchor,
  settle,
} from "@nsatlas/hub";
import type { ActionFrame, AuditVerification, HubFrame } from "@nsatlas/protocol";
import type { AgentAuditEvent } from "./agent-ingest.js";
import type { GuardedServices, HostRemovalEvent } from "./api/api-services.js";
import { AUDIT_ANCHOR_FILE } from "./audit-setup.js";
import { dataPath } from "./data-dir.js";
import { CAPTURE_SETTING_DEFAULTS, type CaptureSettings, GUARD_DEFAULTS, type GuardSettings } from "./env.js";
import type { Logger } from "./logger.js";
import { createMutationGuard } from "./mutation-guard.js";

const HOUR = 3_600_000;

export interface GuardedWiring extends GuardedServices {
  settings: GuardSettings;
  /** Agent connects/disconnects/refusals as audit rows. */
  auditAgent: (e: AgentAuditEvent) => void;
  auditHostRemoval: (e: HostRemovalEvent) => unknown;
  captures: CaptureService;
  close(): void;
}

/** The guarded services composed: the mutation guard, the action service (routed to agents through `send`),
 * history recording from fleet events, the audit chain's verification, and retention timers. */
export function createGuardedServices(o: {
  db: Db;
  dataDir: string;
  audit: AuditStorage;
  fleet: FleetStore;
  settings: Partial<GuardSettings> | undefined;
  /** Shared stores (PostgreSQL); absent: the history in `db` and plans in memory. */
  shared?: {
    history: (o: { retentionMs: number; maxRowsPerHost: number }) => HistoryStorage;
    plans: (o: { ttlMs: number }) => PlanStorage;
  } | null;
  captureSettings?: Partial<CaptureSettings> | undefined;
  /** Sends a frame to a session's agent socket. */
  sendToSession: (sessionId: number, frame: HubFrame) => boolean;
  /** Sends an action to a host whose agent another replica holds (fleet shared through NATS). */
  sendToReplica?: (hostId: string, replica: string, frame: ActionFrame) => boolean;
  /** Aggregates a refusal of a connection without a valid credential (instead of one row each). */
  aggregateRefusal?: (row: AuditInput, source: string, reason: string) => void;
  /** Counts each action's outcome (nsatlas_actions_total). */
  countAction?: (result: "succeeded" | "failed" | "refused" | "timeout") => void;
  log: Logger;
}): GuardedWiring {
  const settings: GuardSettings = { ...GUARD_DEFAULTS, ...o.settings };
  const { audit, fleet } = o;
  const guard = createMutationGuard(audit, settings.readOnly, (err) =>
    o.log.error(`audit: cannot record a refusal: ${err.message}`),
  );
  const historyOptions = { retentionMs: settings.historyRetentionMs, maxRowsPerHost: settings.historyMaxRows };
  const history = o.shared ? o.shared.history(historyOptions) : new HistoryStore(o.db, historyOptions);
  const plans = o.shared?.plans({ ttlMs: settings.planTtlMs });
  const cs: CaptureSettings = { ...CAPTURE_SETTING_DEFAULTS, ...o.captureSettings };
  const sendToHost = (hostId: string, frame: HubFrame) => {
    const host = fleet.host(hostId);
    return host?.sessionId != null && o.sendToSession(host.sessionId, frame);
  };
  const captures = new CaptureService({
    dir: dataPath(o.dataDir, "captures"),
    audit,
    send: sendToHost,
    concurrent: cs.concurrent,
    maxDiskBytes: cs.maxDiskBytes,
    retentionMs: cs.retentionMs,
    extraReadingRoles: cs.readingRoles,
  });
  const actions = new ActionService({
    captures,
    fleet,
    audit,
    ...(plans ? { plans } : {}),
    readOnly: settings.readOnly,
    planTtlMs: settings.planTtlMs,
    timeoutMs: settings.actionTimeoutMs,
    ...(o.countAction ? { onOutcome: o.countAction } : {}),
    send: (hostId, frame) => {
      const host = fleet.host(hostId);
      if (host?.replica) return o.sendToReplica?.(hostId, host.replica, frame) ?? false;
      return host?.sessionId != null && o.sendToSession(host.sessionId, frame);
    },
  });
  // A capture's end comes back through the store, from the agent of the host it ran on.
  // (Action results are routed by the composition: a replica's bus may be waiting for them.)
  const unsignal = fleet.onSignal((s) => {
    if (s.kind === "capture-end") captures.ended(s.hostId, s.frame);
  });
  const unsubscribe = fleet.subscribe((e) => {
    if (e.kind === "inventory") {
      // The replica that holds a host's agent records its history, once for all replicas.
      const host = fleet.host(e.hostId);
      if (host?.inventory && host.replica === null) {
        settle(history.record(e.hostId, host.inventory), (err) => o.log.warn(`history of ${e.hostId}: ${err.message}`));
      }
    } else if (e.kind === "state" && e.state === "stale" && fleet.host(e.hostId)?.sessionId === null) {
      // The socket closed: pending actions of this host will not be answered on it.
      actions.dispatcher.hostGone(e.hostId);
      captures.hostGone(e.hostId);
    }
  });
  const retention = async () => {
    try {
      const h = await history.prune();
      if (h > 0) o.log.info(`history: pruned ${h} rows past retention`);
      if (settings.auditRetentionMs !== null) {
        const a = await audit.prune(new Date(Date.now() - settings.auditRetentionMs));
        if (a > 0) o.log.info(`audit: pruned ${a} rows past NSATLAS_AUDIT_RETENTION (recorded in the chain)`);
      }
    } catch (err) {
      o.log.error(`retention failed: ${(err as Error).message}`);
    }
  };
  void retention();
  const timer = setInterval(() => void retention(), HOUR);
  timer.unref();

  let closed = false;
  const agentEventRow = (e: AgentAuditEvent): AuditInput => ({
    actor: e.agentId ?? "(unknown agent)",
    role: "agent",
    sourceIp: e.remote.replace(/:\d+$/, ""),
    action: `agent.${e.kind}`,
    target: { host: e.agentId },
    params: { credential: e.credential, ...e.detail },
    result: e.kind === "refused" ? "denied" : "ok",
    error: e.kind === "refused" ? String(e.detail.reason ?? "") : null,
  });
  const appendAgentEvent = (e: AgentAuditEvent) => {
    const row = agentEventRow(e);
    // A refused upgrade without a valid token is anyone's to repeat: aggregated per source.
    if (e.kind === "refused" && e.credential === null && o.aggregateRefusal) {
      o.aggregateRefusal(row, row.sourceIp ?? "?", String(e.detail.reason ?? ""));
    } else settle(audit.append(row), (err) => o.log.error(`audit: cannot record agent.${e.kind}: ${err.message}`));
  };

  const anchorPath = dataPath(o.dataDir, AUDIT_ANCHOR_FILE);
  const verifyAudit = (): Promise<AuditVerification> => {
    let anchor = null;
    try {
      anchor = readAnchor(anchorPath);
    } catch {
      anchor = null; // no anchor yet (nothing appended) or unreadable: verify the chain alone
    }
    return audit.verifyAsync(anchor);
  };

  return {
    settings,
    guard,
    actions,
    audit,
    history,
    verifyAudit,
    auditAgent(e) {
      // Sockets close after the database at shutdown: those disconnects go unrecorded.
      if (closed) return;
      try {
        appendAgentEvent(e);
      } catch (err) {
        // An agent event must not take the ingest down; the failure is logged, not hidden.
        o.log.error(`audit: cannot record agent.${e.kind} of ${e.agentId ?? "?"}: ${(err as Error).message}`);
      }
    },
    auditHostRemoval(e) {
      return audit.append({
        actor: e.actor.name,
        role: e.actor.role,
        sourceIp: e.sourceIp,
        action: "host.remove",
        target: { host: e.hostId },
        result: e.result,
        error: e.result === "denied" ? "FORBIDDEN: only an admin may remove a host" : null,
      });
    },
    captures,
    close() {
      captures.close();
      closed = true;
      clearInterval(timer);
      unsubscribe();
      unsignal();
    },
  };
}
