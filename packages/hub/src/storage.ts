import type {
  AuditCheckpoint,
  AuditEvent,
  AuditPublicKey,
  AuditVerification,
  HistoryDiff,
  HistoryEvent,
  Inventory,
  InventoryAt,
} from "@nsatlas/protocol";
import type { NewPlan, StoredPlan } from "./actions/plan-store.js";
import type { AuditAnchor } from "./audit/audit-files.js";
import type { AuditHead, AuditInput } from "./audit/audit-log.js";
import type { SessionInfo } from "./session-store.js";
import type { Role, TokenInfo } from "./token-store.js";

/** A value now (embedded SQLite, which answers synchronously) or later (PostgreSQL). Callers
 * always `await` it, so one call site serves both. */
export type Awaitable<T> = T | Promise<T>;

/** Named bearer tokens with a role, stored hashed (TokenStore: SQLite; PgTokenStore). */
export interface TokenStorage {
  create(name: string, role: string): Awaitable<string>;
  rotate(name: string, role: Role): Awaitable<string>;
  /** Creates the token unless a live one of that name exists (several replicas starting at
   * once make one); the secret, or null when it existed. */
  createOnce(name: string, role: Role): Awaitable<string | null>;
  verify(secret: string): Awaitable<TokenInfo | null>;
  isLive(name: string): Awaitable<boolean>;
  list(): Awaitable<TokenInfo[]>;
  revoke(name: string): Awaitable<void>;
}

/** Browser sessions opened with a token (SessionStore: SQLite; PgSessionStore). A session of a
 * revoked token is ended by the caller (see createRequestAuthenticator). */
export interface SessionStorage {
  open(tokenName: string, role: Role): Awaitable<{ secret: string; expiresAt: number }>;
  lookup(secret: string): Awaitable<SessionInfo | null>;
  close(secret: string): Awaitable<void>;
  closeAllOf(tokenName: string): Awaitable<void>;
}

export type CheckpointReason = "interval" | "prune" | "shutdown" | "report" | "export";

/** The hash-chained audit log (AuditLog: SQLite; PgAuditLog). */
export interface AuditStorage {
  append(e: AuditInput): Awaitable<AuditEvent>;
  head(): Awaitable<AuditHead | null>;
  list(since: number, limit: number): Awaitable<AuditEvent[]>;
  forHost(hostId: string, from: string, to: string): Awaitable<AuditEvent[]>;
  verifyAsync(anchor: AuditAnchor | null): Promise<AuditVerification>;
  pages(size?: number): Iterable<AuditEvent[]> | AsyncIterable<AuditEvent[]>;
  prune(before: Date, actor?: string): Awaitable<number>;
  publicKey(): AuditPublicKey | null;
  checkpoint(reason: CheckpointReason): Awaitable<AuditCheckpoint | null>;
  latestCheckpoint(): Awaitable<AuditCheckpoint | null>;
  checkpoints(): Awaitable<AuditCheckpoint[]>;
}

/** When each item of each host appeared and disappeared (HistoryStore: SQLite; PgHistoryStore). */
export interface HistoryStorage {
  record(hostId: string, inv: Inventory, at?: number): Awaitable<{ appeared: number; disappeared: number }>;
  knows(hostId: string): Awaitable<boolean>;
  events(
    hostId: string,
    from: number,
    to: number,
    limit: number,
  ): Awaitable<{ events: HistoryEvent[]; truncated: boolean }>;
  inventoryAt(hostId: string, at: number): Awaitable<InventoryAt>;
  diff(hostId: string, from: number, to: number): Awaitable<HistoryDiff>;
  prune(now?: number): Awaitable<number>;
}

/** Plans waiting for confirmation (PlanStore: in memory; PgPlanStore: shared by replicas). */
export interface PlanStorage {
  add(p: NewPlan): Awaitable<StoredPlan>;
  check(id: string, owner: string, typed: string): Awaitable<StoredPlan>;
  /** Marks the plan used; false when another replica consumed it first. */
  consume(plan: StoredPlan): Awaitable<boolean>;
}

/** Lets a write run on without its caller waiting (a refusal's audit row, a history record):
 * a synchronous store's error is thrown as before, a later one goes to `onError`. */
export function settle(v: Awaitable<unknown>, onError: (err: Error) => void): void {
  if (v instanceof Promise) v.catch((err: unknown) => onError(err as Error));
}
