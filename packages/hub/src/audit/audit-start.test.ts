import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../database.js";
import { AuditFileError, readAnchor, writeAnchor } from "./audit-files.js";
import { AuditLog } from "./audit-log.js";
import { checkAuditStart, loadAuditKeyForLog } from "./audit-start.js";

let dir: string;
let db: Db;
const anchorPath = () => join(dir, "audit.anchor");
const keyPath = () => join(dir, "audit.key");

function logWithRows(n: number): AuditLog {
  const log = new AuditLog(db, { key: loadAuditKeyForLog(db, keyPath()), anchorPath: anchorPath() });
  for (let i = 0; i < n; i++) log.append({ actor: "a", action: "session.login", result: "ok" });
  return log;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-start-"));
  db = openDatabase(join(dir, "nsatlas.db"));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("checkAuditStart", () => {
  it("refuses a 0-byte database next to an anchor (the history was lost), naming what to do", () => {
    logWithRows(3);
    db.close();
    writeFileSync(join(dir, "nsatlas.db"), "");
    rmSync(join(dir, "nsatlas.db-wal"), { force: true });
    rmSync(join(dir, "nsatlas.db-shm"), { force: true });
    db = openDatabase(join(dir, "nsatlas.db"));
    expect(() => checkAuditStart(db, anchorPath())).toThrow(
      /no audit rows but audit\.anchor says the log reached seq 3: the history was lost — restore the database/,
    );
    expect(readAnchor(anchorPath()).seq).toBe(3); // the evidence stays
  });

  it("refuses rows lost at the tail and a rewritten row at the anchor's seq", () => {
    const log = logWithRows(3);
    const head = log.head();
    writeAnchor(anchorPath(), { seq: 5, hash: head?.hash ?? "" });
    expect(() => checkAuditStart(db, anchorPath())).toThrow(/ends at seq 3 but audit\.anchor says it reached seq 5/);
    writeAnchor(anchorPath(), { seq: 2, hash: "f".repeat(64) });
    expect(() => checkAuditStart(db, anchorPath())).toThrow(/row at seq 2 is not the one audit\.anchor recorded/);
  });

  it("excuses an anchor one past the head only when an older version wrote it (before its commit)", () => {
    const log = logWithRows(3);
    writeFileSync(anchorPath(), `${JSON.stringify({ seq: 4, hash: "e".repeat(64) })}\n`);
    expect(checkAuditStart(db, anchorPath())).toMatch(
      /written by an older version .* brought back to the head \(seq 3\)/,
    );
    expect(readAnchor(anchorPath()).seq).toBe(3);
    writeAnchor(anchorPath(), { seq: 4, hash: "e".repeat(64), digest: log.head()?.digest ?? "" });
    expect(() => checkAuditStart(db, anchorPath())).toThrow(/ends at seq 3 but audit\.anchor says it reached seq 4/);
  });

  it("brings an anchor one commit behind (a crash after the commit) up to the head, and recreates a missing one", () => {
    const log = logWithRows(3);
    const rows = [...log.all()];
    writeAnchor(anchorPath(), { seq: 2, hash: rows[1]?.hash ?? "" });
    const head = { seq: 3, hash: rows[2]?.hash, digest: rows[2]?.digest };
    expect(checkAuditStart(db, anchorPath())).toBeNull();
    expect(readAnchor(anchorPath())).toEqual(head);
    rmSync(anchorPath());
    expect(checkAuditStart(db, anchorPath())).toMatch(/audit\.anchor was missing; recreated at the database's head/);
    expect(readAnchor(anchorPath())).toEqual(head);
  });
});

describe("loadAuditKeyForLog", () => {
  it("refuses to create a key while rows exist (a deleted audit.key is not silently replaced)", () => {
    logWithRows(2);
    rmSync(keyPath());
    expect(() => loadAuditKeyForLog(db, keyPath())).toThrow(AuditFileError);
    expect(() => loadAuditKeyForLog(db, keyPath())).toThrow(/audit\.key is missing but the audit log holds 2 rows/);
    expect(existsSync(keyPath())).toBe(false);
  });
});
