import {
  type Awaitable,
  type Db,
  openPgDatabase,
  type PgDatabase,
  PgHistoryStore,
  PgPlanStore,
  PgSessionStore,
  PgTokenStore,
  type SessionStorage,
  SessionStore,
  type TokenChange,
  type TokenStorage,
  TokenStore,
} from "@nsatlas/hub";
import { type CredentialChanges, pgCredentialChanges, sqliteCredentialChanges } from "./credential-watch.js";
import type { DatabaseSettings } from "./env.js";
import type { Logger } from "./logger.js";

/** Where a server keeps tokens and sessions, and how it hears of changes made elsewhere. */
export interface CredentialStores {
  tokens: TokenStorage;
  sessions: SessionStorage;
  changes: CredentialChanges;
  /** PostgreSQL, shared by replicas (null: the data dir's SQLite file). */
  pg: PgDatabase | null;
  shared: boolean;
  close(): Promise<void>;
}

/** The history and plan stores of a shared database (null: SQLite and memory). */
export function sharedStores(pg: PgDatabase | null) {
  if (pg === null) return null;
  return {
    history: (o: { retentionMs: number; maxRowsPerHost: number }) => new PgHistoryStore(pg, o),
    plans: (o: { ttlMs: number }) => new PgPlanStore(pg, o),
  };
}

/** The stores of NSATLAS_DATABASE_URL when set (migrated on open), else of the SQLite `db`. */
export async function openCredentialStores(
  database: DatabaseSettings | null,
  db: Db,
  log: Logger,
  onChange: (change: TokenChange) => Awaitable<unknown>,
): Promise<CredentialStores> {
  if (database === null) {
    return {
      tokens: new TokenStore(db, undefined, onChange),
      sessions: new SessionStore(db),
      changes: sqliteCredentialChanges(db),
      pg: null,
      shared: false,
      close: async () => {},
    };
  }
  const pg = await openPgDatabase(database.url, {
    onError: (err) => log.warn(`database: ${err.message}`),
  });
  const changes = pgCredentialChanges(database.url, log);
  return {
    tokens: new PgTokenStore(pg, undefined, onChange),
    sessions: new PgSessionStore(pg),
    changes,
    pg,
    shared: true,
    close: async () => {
      changes.close();
      await pg.close();
    },
  };
}
