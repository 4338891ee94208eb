import Database from "better-sqlite3";

export type Db = Database.Database;

/** Schema migrations, applied in order; each runs once (PRAGMA user_version counts them). */
const MIGRATIONS: string[] = [
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
  // Issue 6: the hash-chained audit log. Rows are never updated; deletes are refused except
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
  // Issue 6: when each namespace, stack, name, link and address appeared and disappeared, per
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
];

/** Opens an existing database read-only, without migrating it (for verification). */
export function openDatabaseReadOnly(path: string): Db {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** Opens (creating if needed) the hub's SQLite database at path and migrates it. */
export function openDatabase(path: string): Db {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
