import type { IncomingMessage } from "node:http";
import {
  ActionService,
  type AuditInput,
  type AuditLog,
  CaptureService,
  type Db,
  type FleetStore,
  HistoryStore,
  readAnchor,
} from "@nsatlas/hub";
import type { AuditVerification, HubFrame } from "@nsatlas/protocol";
import type { AgentAuditEvent } from "./agent-ingest.js";
import { AUDIT_ANCHOR_FILE } from "./audit-setup.js";
import type { Principal } from "./auth.js";
import { dataPath } from "./data-dir.js";
import { CAPTURE_SETTING_DEFAULTS, type CaptureSettings, GUARD_DEFAULTS, type GuardSettings } from "./env.js";
import type { Logger } from "./logger.js";
import { createMutationGuard } from "./mutation-guard.js";
import type { HostRemovalEvent } from "./rest/host-routes.js";
import { HttpError } from "./rest/http-error.js";
import type { Route } from "./rest/router.js";
import type { GuardedServices } from "./trpc/init.js";

const HOUR = 3_600_000;

export interface GuardedWiring extends GuardedServices {
  settings: GuardSettings;
  /** REST mutation gate for the router. */
  guardRoute: (principal: Principal, req: IncomingMessage, route: Route) => void;
  /** Agent connects/disconnects/refusals as audit rows. */
  auditAgent: (e: AgentAuditEvent) => void;
  auditHostRemoval: (e: HostRemovalEvent) => void;
  captures: CaptureService;
  close(): void;
}

/** Issue 6 composed: the mutation guard, the action service (routed to agents through `send`),
 * history recording from fleet events, the audit chain's verification, and retention timers. */
export function createGuardedServices(o: {
  db: Db;
  dataDir: string;
  audit: AuditLog;
  fleet: FleetStore;
  settings: Partial<GuardSettings> | undefined;
  captureSettings?: Partial<CaptureSettings> | undefined;
  /** Sends a frame to a session's agent socket. */
  sendToSession: (sessionId: number, frame: HubFrame) => boolean;
  /** Aggregates a refusal of a connection without a valid credential (instead of one row each). */
  aggregateRefusal?: (row: AuditInput, source: string, reason: string) => void;
  /** Counts each action's outcome (nsatlas_actions_total). */
  countAction?: (result: "succeeded" | "failed" | "refused" | "timeout") => void;
  log: Logger;
}): GuardedWiring {
  const settings: GuardSettings = { ...GUARD_DEFAULTS, ...o.settings };
  const { audit, fleet } = o;
  const guard = createMutationGuard(audit, settings.readOnly);
  const history = new HistoryStore(o.db, {
    retentionMs: settings.historyRetentionMs,
    maxRowsPerHost: settings.historyMaxRows,
  });
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
    readOnly: settings.readOnly,
    planTtlMs: settings.planTtlMs,
    timeoutMs: settings.actionTimeoutMs,
    ...(o.countAction ? { onOutcome: o.countAction } : {}),
    send: sendToHost,
  });
  const unsubscribe = fleet.subscribe((e) => {
    if (e.kind === "inventory") {
      const inv = fleet.host(e.hostId)?.inventory;
      if (inv) history.record(e.hostId, inv);
    } else if (e.kind === "state" && e.state === "stale" && fleet.host(e.hostId)?.sessionId === null) {
      // The socket closed: pending actions of this host will not be answered on it.
      actions.dispatcher.hostGone(e.hostId);
      captures.hostGone(e.hostId);
    }
  });
  const retention = () => {
    try {
      const h = history.prune();
      if (h > 0) o.log.info(`history: pruned ${h} rows past retention`);
      if (settings.auditRetentionMs !== null) {
        const a = audit.prune(new Date(Date.now() - settings.auditRetentionMs));
        if (a > 0) o.log.info(`audit: pruned ${a} rows past NSATLAS_AUDIT_RETENTION (recorded in the chain)`);
      }
    } catch (err) {
      o.log.error(`retention failed: ${(err as Error).message}`);
    }
  };
  retention();
  const timer = setInterval(retention, HOUR);
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
    } else audit.append(row);
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
    guardRoute(principal, req, route) {
      const denial = guard.deny(principal, `${route.method} ${route.path}`, req.socket.remoteAddress ?? null);
      if (denial) throw new HttpError(403, denial.code, denial.message);
    },
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
      audit.append({
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
    },
  };
}
