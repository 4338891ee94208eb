import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { type AuditDbRow, auditRowDigest, fromDbRow, GENESIS_HASH } from "./audit/audit-row.js";

export type Db = Database.Database;

/** The database cannot be opened, is not SQLite, or is damaged: the message says which and what
 * to do (one line, for a person at a terminal), `cause` keeps SQLite's error. */
export class DatabaseError extends Error {
  readonly code = "DATABASE";
}

const RECOVER = "stop nsatlas and restore it from a backup (or move it aside to start an empty one)";

function databaseError(path: string, err: unknown): DatabaseError {
  const sqlite = (err as { code?: unknown }).code;
  if (typeof sqlite !== "string" || !sqlite.startsWith("SQLITE_")) {
    return new DatabaseError(`cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  const what =
    sqlite === "SQLITE_NOTADB"
      ? "is not an SQLite database"
      : sqlite.startsWith("SQLITE_CORRUPT")
        ? "is damaged (truncated or overwritten)"
        : `cannot be read (${sqlite}: ${(err as Error).message})`;
  return new DatabaseError(`${path} ${what}: ${RECOVER}`, { cause: err });
}

/** The database and its WAL and shared-memory files hold token hashes and the audit log:
 * owner only. SQLite creates -wal and -shm with the main file's mode, so creating that one
 * 0600 covers the others; files of older versions are tightened. */
function restrictDatabaseFiles(path: string): void {
  if (path === ":memory:") return;
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** SQLite's quick_check (the b-tree structure of every page, without the index cross-check of
 * integrity_check): "ok", or the first problems it found. */
function quickCheck(db: Db): string {
  const rows = db.pragma("quick_check(5)") as { quick_check: string }[];
  return rows
    .map((r) => r.quick_check)
    .join("; ")
    .replace(/\s+/g, " ")
    .trim();
}

const NO_AUDIT_UPDATE = `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;`;

/** The keyless digest chain beside the HMAC chain, and the signed checkpoints of its head.
 * Rows of older versions get their digests here, in seq order, from 64 zeros before the oldest
 * row still stored (a prefix pruned before this upgrade has no digests to continue from). */
function addAuditDigests(db: Db): void {
  db.exec(`ALTER TABLE audit ADD COLUMN digest TEXT;
    CREATE TABLE audit_checkpoints (
      id INTEGER PRIMARY KEY,
      key_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      ts TEXT NOT NULL,
      digest TEXT NOT NULL,
      signature TEXT NOT NULL,
      reason TEXT NOT NULL
    );
    CREATE INDEX audit_checkpoints_by_seq ON audit_checkpoints (seq);
    CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
    CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
    DROP TRIGGER audit_no_update;`);
  const page = db.prepare("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT 1000");
  const set = db.prepare("UPDATE audit SET digest = ? WHERE seq = ?");
  let digest = GENESIS_HASH;
  for (let after = 0; ; ) {
    const rows = page.all(after) as AuditDbRow[];
    if (rows.length === 0) break;
    for (const r of rows) {
      digest = auditRowDigest(digest, fromDbRow(r));
      set.run(digest, r.seq);
      after = r.seq;
    }
  }
  db.exec(NO_AUDIT_UPDATE);
}

/** Schema migrations, applied in order; each runs once (PRAGMA user_version counts them). */
const MIGRATIONS: (string | ((db: Db) => void))[] = [
  `CREATE TABLE tokens (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor', 'agent')),
     hash TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL,
     revoked_at TEXT
   );`,
  `CREATE TABLE sessions (
     hash TEXT PRIMARY KEY,
     token_name TEXT NOT NULL,
     role TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );`,
  // The hash-chained audit log. Rows are never updated; deletes are refused except
  // for a retention prefix opened through audit_prune_gate (see AuditLog.prune). The triggers
  // guard against mistakes in code, not against someone with the file: the chain does that.
  `CREATE TABLE audit (
     seq INTEGER PRIMARY KEY,
     ts TEXT NOT NULL,
     actor TEXT NOT NULL,
     role TEXT,
     source_ip TEXT,
     request_id TEXT,
     action TEXT NOT NULL,
     target_host TEXT,
     target_ns TEXT,
     target_name TEXT,
     params TEXT NOT NULL,
     plan_hash TEXT,
     result TEXT NOT NULL,
     error TEXT,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX audit_by_host ON audit (target_host, ts);
   CREATE INDEX audit_by_request ON audit (request_id);
   CREATE TABLE audit_prune_gate (through INTEGER NOT NULL);
   CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
     BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
   CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
     WHEN OLD.seq > (SELECT COALESCE(MAX(through), 0) FROM audit_prune_gate)
     BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;`,
  // History: when each namespace, stack, name, link and address appeared and disappeared, per
  // host: one row per appearance (disappeared_at NULL while it is still there).
  `CREATE TABLE history (
     id INTEGER PRIMARY KEY,
     host_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     ns TEXT,
     data TEXT NOT NULL,
     appeared_at INTEGER NOT NULL,
     disappeared_at INTEGER
   );
   CREATE INDEX history_open ON history (host_id, disappeared_at);
   CREATE INDEX history_appeared ON history (host_id, appeared_at);
   CREATE INDEX history_disappeared ON history (host_id, disappeared_at, appeared_at);`,
  addAuditDigests,
];

/** Opens an existing database read-only, without migrating it (for verification). */
export function openDatabaseReadOnly(path: string): Db {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** Opens (creating if needed, mode 0600) the hub's SQLite database at path, checks its pages
 * and migrates it; throws DatabaseError (never SQLite's own) when it cannot. */
export function openDatabase(path: string): Db {
  let db: Db | null = null;
  try {
    restrictDatabaseFiles(path);
    db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    const check = quickCheck(db);
    if (check !== "ok") throw new DatabaseError(`${path} is damaged (quick_check: ${check}): ${RECOVER}`);
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    throw err instanceof DatabaseError ? err : databaseError(path, err);
  }
}

function migrate(db: Db): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    const step = MIGRATIONS[v];
    db.transaction(() => {
      if (typeof step === "function") step(db);
      else db.exec(step as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
