import type {
  ActionService,
  AuditStorage,
  CaptureService,
  FleetStore,
  HistoryStorage,
  SessionStorage,
} from "@nsatlas/hub";
import type { AuditVerification } from "@nsatlas/protocol";
import type { Authenticator, Principal } from "../auth.js";
import type { MutationGuard } from "../mutation-guard.js";
import type { PromMetrics } from "../prom-metrics.js";
import type { RefusalLimits } from "../refusal-limits.js";

/** The mutation guard, guarded actions, audit log and history. */
export interface GuardedServices {
  guard: MutationGuard;
  actions: ActionService;
  captures: CaptureService;
  audit: AuditStorage;
  history: HistoryStorage;
  verifyAudit: () => Promise<AuditVerification>;
}

/** What removing a host tells the audit log. Written before the host is removed: if the
 * hook throws, nothing is removed (no row, no action). */
export interface HostRemovalEvent {
  actor: Principal;
  sourceIp: string | null;
  hostId: string;
  result: "requested" | "succeeded" | "denied" | "not-found";
}

/** Everything an operation's handler may use; the composition root makes one. */
export interface ApiServices {
  fleet: FleetStore;
  guarded: GuardedServices;
  auth: Authenticator;
  sessions: SessionStorage;
  /** Failed logins per source (429 beyond the limit), aggregated in the audit log. */
  refusals?: RefusalLimits;
  metrics: PromMetrics;
  /** A session was closed: its open websockets close with it. */
  sessionEnded(): void;
  auditHostRemoval(event: HostRemovalEvent): unknown;
  /** Whether this replica takes agents and users now (/readyz). */
  readiness(): { draining: boolean; replica: { id: string; connected: boolean } | null };
  /** The OpenAPI document of this server (it states its settings, e.g. the action timeout). */
  openApi: Record<string, unknown>;
}
