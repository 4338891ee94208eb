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
];

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
