export { ACTING_ROLES, type Denial, mayReadAudit, mutationDenial } from "./actions/access-policy.js";
export { ActionDispatcher, type ActionSender } from "./actions/action-dispatcher.js";
export { ActionError, type ActionErrorKind } from "./actions/action-error.js";
export {
  type ActionRequestMeta,
  ActionService,
  type ActionServiceOptions,
} from "./actions/action-service.js";
export { hostRefusal } from "./actions/host-refusal.js";
export { type NewPlan, PlanStore, type StoredPlan } from "./actions/plan-store.js";
export { type PlannedAction, planAction } from "./actions/planner.js";
export {
  type BundleVerification,
  parseAuditBundle,
  verifyAuditBundle,
  writeAuditBundle,
} from "./audit/audit-bundle.js";
export { auditCsv, auditExportChunks, auditExportText } from "./audit/audit-csv.js";
export {
  type AuditAnchor,
  AuditFileError,
  loadOrCreateAuditKey,
  readAnchor,
  readAuditKey,
  removeStaleTemporaries,
  writeAnchor,
  writeFileDurably,
} from "./audit/audit-files.js";
export {
  type AuditHead,
  type AuditInput,
  AuditLog,
  type AuditLogOptions,
  type AuditSink,
} from "./audit/audit-log.js";
export { auditCheckpoints, auditPages, auditRows } from "./audit/audit-pages.js";
export {
  type AuditDbRow,
  auditRowDigest,
  auditRowHash,
  fromDbRow,
  GENESIS_HASH,
  PRUNE_ACTION,
} from "./audit/audit-row.js";
export {
  type AuditSigner,
  checkpointPayload,
  checkpointSignedBy,
  loadOrCreateSigningKey,
  publicKeyInfo,
  readPublicKey,
  readSigningKey,
} from "./audit/audit-signing.js";
export { checkAnchorAtStart, checkAuditStart, loadAuditKeyForLog } from "./audit/audit-start.js";
export { AuditChainCheck, verifyAuditChain } from "./audit/audit-verify.js";
export { canonicalJson, type JsonValue } from "./audit/canonical-json.js";
export { yieldToEventLoop } from "./audit/time-slice.js";
export { CAPTURE_READING_ROLES, CaptureService, type CaptureServiceOptions } from "./capture/capture-service.js";
export type { CaptureRecord } from "./capture/capture-store.js";
export { compileFilter, linktypeOf } from "./capture/filter-compiler.js";
export { type AppliedChange, type ChangeRingLimits, DEFAULT_CHANGE_RING } from "./change-ring.js";
export { DatabaseError, type Db, openDatabase, openDatabaseReadOnly } from "./database.js";
export { HubFrameError } from "./errors.js";
export {
  type Credential,
  type FleetEvent,
  type FleetSignal,
  FleetStore,
  type FleetStoreOptions,
  type HostRecord,
  type HostState,
  type Session,
} from "./fleet-store.js";
export { historyItems } from "./history/history-items.js";
export { HistoryStore, type HistoryStoreOptions } from "./history/history-store.js";
export { buildHostReport, hostReportCsv } from "./history/host-report.js";
export { PgAuditLog } from "./pg/pg-audit-log.js";
export {
  CREDENTIALS_CHANNEL,
  openPgDatabase,
  PG_LOCK,
  type PgDatabase,
  redactedUrl,
} from "./pg/pg-database.js";
export { PgHistoryStore } from "./pg/pg-history-store.js";
export { listenCredentials, type PgListener } from "./pg/pg-listener.js";
export { PgPlanStore } from "./pg/pg-plan-store.js";
export { PgSessionStore } from "./pg/pg-session-store.js";
export { PgTokenStore } from "./pg/pg-token-store.js";
export { type MatchKind, type SearchableHost, type SearchMatch, searchFleet } from "./search.js";
export { SESSION_TTL_MS, type SessionInfo, SessionStore } from "./session-store.js";
export type {
  AuditStorage,
  Awaitable,
  CheckpointReason,
  HistoryStorage,
  PlanStorage,
  SessionStorage,
  TokenStorage,
} from "./storage.js";
export { settle } from "./storage.js";
export {
  hashToken,
  ROLES,
  type Role,
  sameSecret,
  type TokenChange,
  TokenError,
  type TokenInfo,
  TokenStore,
} from "./token-store.js";
