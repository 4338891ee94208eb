import {
  type Db,
  openPgDatabase,
  type PgDatabase,
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

/** The stores of NSATLAS_DATABASE_URL when set (migrated on open), else of the SQLite `db`. */
export async function openCredentialStores(
  database: DatabaseSettings | null,
  db: Db,
  log: Logger,
  onChange: (change: TokenChange) => void,
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
  return {
    tokens: new PgTokenStore(pg, undefined, onChange),
    sessions: new PgSessionStore(pg),
    changes: pgCredentialChanges(database.url, log),
    pg,
    shared: true,
    close: () => pg.close(),
  };
}
