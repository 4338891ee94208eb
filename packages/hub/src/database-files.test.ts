import { closeSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "./audit/audit-log.js";
import { DatabaseError, openDatabase } from "./database.js";

let dir: string;
let path: string;

/** A database of 2000 rows, closed (its WAL folded into the main file). */
function filledDatabase(): number {
  const db = openDatabase(path);
  const log = new AuditLog(db, { key: Buffer.alloc(32, 3), anchorPath: null });
  for (let i = 0; i < 2000; i++)
    log.append({ actor: "a", action: "x", params: { i, pad: "y".repeat(100) }, result: "ok" });
  db.close();
  return statSync(path).size;
}

function openError(): DatabaseError {
  try {
    openDatabase(path).close();
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseError);
    return err as DatabaseError;
  }
  throw new Error("the database opened");
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-db-"));
  path = join(dir, "nsatlas.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("openDatabase", () => {
  it("creates the database, its WAL and its shared memory owner-only (0600), and tightens older files", () => {
    const db = openDatabase(path);
    db.prepare("INSERT INTO history (host_id, kind, key, data, appeared_at) VALUES ('h', 'k', 'k', '{}', 1)").run();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    db.close();
    const older = join(dir, "older.db");
    writeFileSync(older, "", { mode: 0o644 });
    openDatabase(older).close();
    expect(statSync(older).mode & 0o777).toBe(0o600);
  });

  it("refuses a damaged page with one line naming quick_check and what to do", () => {
    const size = filledDatabase();
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const err = openError();
    expect(err.message).toMatch(/is damaged \(quick_check: .+\): stop nsatlas and restore it from a backup/);
    expect(err.message).not.toMatch(/\n/);
  });

  it("refuses a truncated file and a file that is not SQLite, without SQLite's own error", () => {
    const size = filledDatabase();
    truncateSync(path, Math.floor(size / 3));
    expect(openError().message).toMatch(/is damaged \(truncated or overwritten\)/);
    writeFileSync(path, "this is not a database, but it is long enough to have a header ".repeat(10));
    expect(openError().message).toMatch(/is not an SQLite database: stop nsatlas/);
  });
});
