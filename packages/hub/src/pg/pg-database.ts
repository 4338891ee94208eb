import pg from "pg";
import { DatabaseError } from "../database.js";
import { PG_MIGRATIONS } from "./pg-migrations.js";

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
export type PgQueryable = pg.Pool | pg.PoolClient;

/** Advisory lock keys (one 64-bit space per database): one concept, one key. */
export const PG_LOCK = {
  migrate: 7_016_001,
  audit: 7_016_002,
  firstAdmin: 7_016_003,
  historyPrune: 7_016_004,
  /** With a host's hash as the second key (the two-int form, a space of its own). */
  historyHost: 7_016,
} as const;

/** The channel on which a revoked token or an ended session is announced to every replica. */
export const CREDENTIALS_CHANNEL = "nsatlas_credentials";

export interface PgDatabaseOptions {
  /** How long a query waits for a connection before failing (a replica answers 503 then). */
  connectTimeoutMs?: number;
  max?: number;
  onError?: (err: Error) => void;
}

/** The hub's PostgreSQL database: a pool, migrated on open. */
export interface PgDatabase {
  pool: PgPool;
  url: string;
  /** Runs fn in one transaction. */
  transaction<T>(fn: (c: PgClient) => Promise<T>): Promise<T>;
  /** Runs fn in one transaction holding the advisory lock `key` until it ends. */
  locked<T>(key: number, fn: (c: PgClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** postgres://user:***@host/db: a URL for messages, without its password. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unparsable database URL)";
  }
}

/** A connection that dies between two queries of a transaction (a server restart) emits
 * 'error' outside any query: it is noted here, and the connection is discarded on release
 * rather than handed to the next caller. */
async function transaction<T>(pool: PgPool, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  c.on("error", onError);
  try {
    await c.query("BEGIN");
    const out = await fn(c);
    await c.query("COMMIT");
    return out;
  } catch (err) {
    if (!broken) {
      await c.query("ROLLBACK").catch((e: Error) => {
        broken = e;
      });
    }
    throw err;
  } finally {
    c.off("error", onError);
    c.release(broken);
  }
}

/** Applies the migrations not yet applied, holding an advisory lock for the whole run: several
 * replicas starting at once run them one after the other, and the later ones find nothing to
 * do. Each migration and its version row commit together. */
async function migrate(pool: PgPool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query("SELECT pg_advisory_lock($1)", [PG_LOCK.migrate]);
    try {
      await c.query(
        "CREATE TABLE IF NOT EXISTS nsatlas_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
      );
      const r = await c.query<{ v: number | null }>("SELECT MAX(version) AS v FROM nsatlas_schema");
      for (let v = r.rows[0]?.v ?? 0; v < PG_MIGRATIONS.length; v++) {
        await c.query("BEGIN");
        try {
          await c.query(PG_MIGRATIONS[v] as string);
          await c.query("INSERT INTO nsatlas_schema (version) VALUES ($1)", [v + 1]);
          await c.query("COMMIT");
        } catch (err) {
          await c.query("ROLLBACK").catch(() => {});
          throw err;
        }
      }
    } finally {
      await c.query("SELECT pg_advisory_unlock($1)", [PG_LOCK.migrate]);
    }
  } finally {
    c.release();
  }
}

const INT8_OID = 20;
/** BIGINT columns (seqs, ms timestamps) read back as numbers: they stay below 2^53. */
const typeParser = ((oid: number, format?: "text" | "binary") =>
  oid === INT8_OID && format !== "binary"
    ? Number
    : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

/** Connects to PostgreSQL and migrates the schema; throws DatabaseError when it cannot. */
export async function openPgDatabase(url: string, o: PgDatabaseOptions = {}): Promise<PgDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: o.max ?? 10,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 3_000,
    // A query that hangs (a server stopping mid-query) fails instead of holding a request.
    query_timeout: 15_000,
    types: { getTypeParser: typeParser },
  });
  // An idle connection the server closed (a restart) must not crash the process: the pool
  // drops it and the next query opens another.
  pool.on("error", (err) => o.onError?.(err));
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseError(`cannot open the database ${redactedUrl(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return {
    pool,
    url,
    transaction: (fn) => transaction(pool, fn),
    locked: (key, fn) =>
      transaction(pool, async (c) => {
        await c.query("SELECT pg_advisory_xact_lock($1)", [key]);
        return fn(c);
      }),
    close: () => pool.end(),
  };
}

/** PostgreSQL's unique_violation. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown }).code === "23505";
}
