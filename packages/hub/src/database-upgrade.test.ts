import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "./audit/audit-log.js";
import { auditRows } from "./audit/audit-pages.js";
import { auditRowHash, GENESIS_HASH, PRUNE_ACTION } from "./audit/audit-row.js";
import { verifyAuditChain } from "./audit/audit-verify.js";
import { canonicalJson, type JsonValue } from "./audit/canonical-json.js";
import { openDatabase, openDatabaseReadOnly } from "./database.js";

const KEY = Buffer.alloc(32, 9);
let dir: string;
let path: string;

/** A database as the version before digests left it: schema 4, HMAC-chained rows from `first`
 * (a prune record at the end when rows before `first` were pruned). */
function legacyDatabase(first: number, last: number): void {
  const db = openDatabase(path);
  db.exec(`DROP TABLE audit_checkpoints; ALTER TABLE audit DROP COLUMN digest; PRAGMA user_version = 4;`);
  let prevHash = first === 1 ? GENESIS_HASH : "a".repeat(64);
  const insert = db.prepare(
    `INSERT INTO audit (seq, ts, actor, role, source_ip, request_id, action, target_host, target_ns, target_name,
       params, plan_hash, result, error, prev_hash, hash) VALUES (?, ?, 'old', NULL, NULL, NULL, ?, NULL, NULL, NULL, ?, NULL, 'ok', NULL, ?, ?)`,
  );
  for (let seq = first; seq <= last; seq++) {
    const pruned = first > 1 && seq === last;
    const action = pruned ? PRUNE_ACTION : "session.login";
    const params: JsonValue = pruned
      ? { fromSeq: 1, throughSeq: first - 1, throughHash: "a".repeat(64), rows: first - 1 }
      : {};
    const row = {
      seq,
      ts: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
      actor: "old",
      role: null,
      sourceIp: null,
      requestId: null,
      action,
      target: { host: null, namespace: null, name: null },
      params,
      planHash: null,
      result: "ok",
      error: null,
      prevHash,
    };
    const hash = auditRowHash(KEY, row);
    insert.run(seq, row.ts, action, canonicalJson(params), prevHash, hash);
    prevHash = hash;
  }
  db.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-upgrade-"));
  path = join(dir, "nsatlas.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("upgrading a database of the version before digests", () => {
  it("computes the digests of existing rows, and the chain goes on from them", () => {
    legacyDatabase(1, 5);
    const db = openDatabase(path);
    const log = new AuditLog(db, { key: KEY, anchorPath: null });
    expect([...log.all()].every((r) => /^[0-9a-f]{64}$/.test(r.digest))).toBe(true);
    log.append({ actor: "new", action: "session.login", result: "ok" });
    expect(verifyAuditChain(log.all(), KEY)).toMatchObject({ ok: true, rows: 6 });
    expect(() => db.prepare("UPDATE audit SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    db.close();
  });

  it("still verifies with the key when read before its upgrade (read-only, no digests yet)", () => {
    legacyDatabase(1, 5);
    const db = openDatabaseReadOnly(path);
    expect(verifyAuditChain(auditRows(db), KEY)).toMatchObject({ ok: true, rows: 5 });
    db.close();
  });

  it("starts the digests at the oldest stored row when a prefix was pruned before the upgrade", () => {
    legacyDatabase(11, 14);
    const db = openDatabase(path);
    const log = new AuditLog(db, { key: KEY, anchorPath: null });
    expect(verifyAuditChain(log.all(), KEY)).toMatchObject({ ok: true, rows: 4 });
    db.close();
  });
});
