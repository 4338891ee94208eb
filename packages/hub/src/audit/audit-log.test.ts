import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../database.js";
import { loadOrCreateAuditKey, readAnchor } from "./audit-files.js";
import { AuditLog } from "./audit-log.js";
import { type AuditDbRow, auditRowHash, fromDbRow } from "./audit-row.js";
import { verifyAuditChain } from "./audit-verify.js";

let dir: string;
let db: Db;
let key: Buffer;
let log: AuditLog;
let clock: number;
const tick = () => {
  clock += 1000;
  return new Date(clock);
};

function untrigger(): void {
  // What someone with write access to the database file can do: the triggers do not bind them.
  db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
}
const verify = () => verifyAuditChain(log.all(), key, readAnchor(join(dir, "anchor")));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-audit-"));
  db = openDatabase(join(dir, "db.sqlite"));
  key = loadOrCreateAuditKey(join(dir, "audit.key"));
  clock = Date.parse("2026-01-01T00:00:00Z");
  log = new AuditLog(db, { key, anchorPath: join(dir, "anchor"), now: tick });
  for (let i = 1; i <= 5; i++)
    log.append({
      actor: `user${i}`,
      role: "operator",
      action: "netns.create",
      result: "ok",
      params: { name: `s${i}` },
    });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("AuditLog", () => {
  it("chains rows from 64 zeros, keeps the key file 0400 and the anchor at the head", () => {
    const rows = [...log.all()];
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]?.prevHash).toBe("0".repeat(64));
    expect(rows[3]?.prevHash).toBe(rows[2]?.hash);
    expect(statSync(join(dir, "audit.key")).mode & 0o777).toBe(0o400);
    expect(readAnchor(join(dir, "anchor"))).toEqual({ seq: 5, hash: rows[4]?.hash, digest: rows[4]?.digest });
    expect(verify()).toMatchObject({ ok: true, rows: 5, brokenAt: null });
    expect(log.list(3, 10).map((r) => r.seq)).toEqual([4, 5]);
  });

  it("refuses updates and deletes through SQL while the triggers stand", () => {
    expect(() => db.prepare("UPDATE audit SET actor = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit WHERE seq = 5").run()).toThrow(/append-only/);
  });

  it("breaks at an edited row", () => {
    untrigger();
    db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 3").run();
    expect(verify()).toMatchObject({ ok: false, brokenAt: 3 });
    db.prepare("UPDATE audit SET actor = 'user3', params = '{\"name\":\"other\"}' WHERE seq = 3").run();
    expect(verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it("breaks at a deleted row, at a deleted prefix, and at a cut tail (against the anchor)", () => {
    untrigger();
    db.prepare("DELETE FROM audit WHERE seq = 2").run();
    expect(verify()).toMatchObject({ ok: false, brokenAt: 2 });
    db.prepare("DELETE FROM audit WHERE seq = 1").run();
    expect(verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it("breaks where the tail was cut, which only the anchor can tell", () => {
    untrigger();
    db.prepare("DELETE FROM audit WHERE seq >= 4").run();
    expect(verifyAuditChain(log.all(), key).ok).toBe(true);
    expect(verify()).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it("breaks at reordered rows", () => {
    untrigger();
    db.exec(
      "UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 100;",
    );
    expect(verify()).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it("breaks at a row re-hashed without the key, even when the whole rest of the chain is re-hashed too", () => {
    untrigger();
    const other = Buffer.alloc(32, 7);
    const rows = (db.prepare("SELECT * FROM audit ORDER BY seq").all() as AuditDbRow[]).map(fromDbRow);
    let prevHash = rows[0]?.hash ?? "";
    for (const r of rows.slice(1)) {
      const edited = { ...r, actor: r.seq === 2 ? "mallory" : r.actor, prevHash };
      const { hash: _old, ...unsigned } = edited;
      prevHash = auditRowHash(other, unsigned);
      db.prepare("UPDATE audit SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?").run(
        edited.actor,
        edited.prevHash,
        prevHash,
        r.seq,
      );
    }
    expect(verifyAuditChain(log.all(), key)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it("prunes a prefix, records it, and still verifies; a deletion after the recorded prefix breaks", () => {
    const before = new Date(clock + 1);
    clock += 10_000;
    log.append({ actor: "late", action: "session.login", result: "ok" });
    expect(log.prune(before)).toBe(5);
    const rows = [...log.all()];
    expect(rows.map((r) => r.seq)).toEqual([6, 7]);
    expect(rows[1]).toMatchObject({ action: "audit.prune", params: { throughSeq: 5, rows: 5 } });
    expect(verify()).toMatchObject({ ok: true, rows: 2 });
    untrigger();
    db.prepare("DELETE FROM audit WHERE seq = 6").run();
    expect(verify()).toMatchObject({ ok: false, brokenAt: 7 });
  });

  it("keeps counting after a prune of every row: the prune row continues the chain", () => {
    expect(log.prune(new Date(clock + 1))).toBe(5);
    expect([...log.all()]).toMatchObject([{ seq: 6, action: "audit.prune", params: { throughSeq: 5 } }]);
    expect(log.append({ actor: "x", action: "session.login", result: "ok" }).seq).toBe(7);
    expect(verify()).toMatchObject({ ok: true, rows: 2 });
  });

  it("keeps a committed row when the anchor cannot be written (full disk), reports it, leaves no temporary", () => {
    const errors: Error[] = [];
    const gone = join(dir, "no-such-dir", "anchor");
    const broken = new AuditLog(db, { key, anchorPath: gone, now: tick, onAnchorError: (e) => errors.push(e) });
    expect(broken.append({ actor: "x", action: "session.login", result: "ok" }).seq).toBe(6);
    expect(errors).toHaveLength(1);
    expect(log.head()?.seq).toBe(6);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("writes the anchor as JSON a person can read and ship", () => {
    expect(JSON.parse(readFileSync(join(dir, "anchor"), "utf8"))).toMatchObject({ seq: 5 });
  });
});
