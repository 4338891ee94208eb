import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuditBundle } from "@nsatlas/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../database.js";
import { parseAuditBundle, verifyAuditBundle, writeAuditBundle } from "./audit-bundle.js";
import { AuditLog } from "./audit-log.js";
import { auditRowDigest } from "./audit-row.js";
import { type AuditSigner, loadOrCreateSigningKey } from "./audit-signing.js";

let dir: string;
let db: Db;
let signer: AuditSigner;
let log: AuditLog;
let clock: number;

function tick(): Date {
  clock += 1000;
  return new Date(clock);
}

function bundle(): AuditBundle {
  let text = "";
  writeAuditBundle(db, [signer.info], (s) => {
    text += s;
  });
  return parseAuditBundle(text);
}
const publicKey = () => createPublicKey(signer.info.publicKey);
/** Re-derives every digest (what someone rewriting history without the signing key can do). */
function redigest(b: AuditBundle): void {
  let prev = "0".repeat(64);
  for (const r of b.rows) {
    r.digest = auditRowDigest(prev, r);
    prev = r.digest;
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-bundle-"));
  db = openDatabase(join(dir, "nsatlas.db"));
  signer = loadOrCreateSigningKey(join(dir, "audit-signing.key"), join(dir, "audit-signing.pub"), 0).signer;
  clock = Date.parse("2026-01-01T00:00:00Z");
  log = new AuditLog(db, { key: Buffer.alloc(32, 1), anchorPath: null, signer, now: tick });
  for (let i = 1; i <= 6; i++)
    log.append({ actor: `u${i}`, action: "netns.create", params: { name: `s${i}` }, result: "ok" });
  log.checkpoint("interval"); // at seq 6
  log.append({ actor: "u7", action: "session.login", result: "ok" });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the signing key", () => {
  it("is 0400, apart from the HMAC key, and is not recreated once checkpoints exist", () => {
    expect(statSync(join(dir, "audit-signing.key")).mode & 0o777).toBe(0o400);
    expect(signer.info).toMatchObject({ algorithm: "Ed25519", keyId: /^[0-9a-f]{16}$/, fingerprint: /^SHA256:/ });
    rmSync(join(dir, "audit-signing.key"));
    expect(() => loadOrCreateSigningKey(join(dir, "audit-signing.key"), join(dir, "x.pub"), 1)).toThrow(
      /audit-signing\.key is missing but 1 audit checkpoints were signed with it/,
    );
  });
});

describe("verifyAuditBundle (offline: the public key only)", () => {
  it("proves an intact bundle up to its newest checkpoint and says what comes after it", () => {
    const r = verifyAuditBundle(bundle(), publicKey());
    expect(r).toMatchObject({ ok: true, rows: 7, proven: { seq: 6 }, unproven: 1 });
    expect(r.proven?.rowTs).toBe("2026-01-01T00:00:06.000Z");
    log.checkpoint("shutdown");
    expect(verifyAuditBundle(bundle(), publicKey())).toMatchObject({ ok: true, proven: { seq: 7 }, unproven: 0 });
    log.checkpoint("shutdown"); // the head did not move: no new checkpoint
    expect(bundle().checkpoints).toHaveLength(2);
  });

  it("catches an edited row, even with every digest after it re-derived", () => {
    const b = bundle();
    const row = b.rows[2];
    if (!row) throw new Error("no row 3");
    row.actor = "mallory";
    expect(verifyAuditBundle(b, publicKey())).toMatchObject({ ok: false, brokenAt: 3 });
    redigest(b);
    expect(verifyAuditBundle(b, publicKey())).toMatchObject({ ok: false, brokenAt: 1 });
    expect(verifyAuditBundle(b, publicKey()).reason).toMatch(
      /rows 1–6 are not the ones the checkpoint at seq 6 signed/,
    );
  });

  it("catches reordered, removed and renumbered rows", () => {
    const swapped = bundle();
    [swapped.rows[1], swapped.rows[2]] = [swapped.rows[2] as never, swapped.rows[1] as never];
    expect(verifyAuditBundle(swapped, publicKey())).toMatchObject({ ok: false, brokenAt: 2 });
    const removed = bundle();
    removed.rows.splice(3, 1);
    expect(verifyAuditBundle(removed, publicKey())).toMatchObject({ ok: false, brokenAt: 4 });
    const renumbered = bundle();
    renumbered.rows.splice(3, 1);
    renumbered.rows.forEach((r, i) => {
      r.seq = i + 1;
    });
    redigest(renumbered);
    expect(verifyAuditBundle(renumbered, publicKey()).ok).toBe(false);
    const cut = bundle();
    cut.rows.splice(4);
    expect(verifyAuditBundle(cut, publicKey())).toMatchObject({ ok: false, brokenAt: 5 });
  });

  it("catches an edited or forged checkpoint, and proves nothing with another key", () => {
    const edited = bundle();
    const c = edited.checkpoints[0];
    if (!c) throw new Error("no checkpoint");
    c.seq = 7;
    expect(verifyAuditBundle(edited, publicKey())).toMatchObject({ ok: false, brokenAt: 7 });
    expect(verifyAuditBundle(edited, publicKey()).reason).toMatch(/not signed by key/);
    const other = generateKeyPairSync("ed25519").publicKey;
    const r = verifyAuditBundle(bundle(), other);
    expect(r).toMatchObject({ ok: false, proven: null, ignoredCheckpoints: 1 });
    expect(r.reason).toMatch(/nothing is proven/);
  });

  it("the server's own verify checks its stored checkpoints too (a forged one breaks at its seq)", async () => {
    expect(await log.verifyAsync(null)).toMatchObject({ ok: true });
    db.prepare(
      "INSERT INTO audit_checkpoints (key_id, seq, ts, digest, signature, reason) VALUES (?, 3, ?, ?, ?, 'forged')",
    ).run(signer.info.keyId, new Date().toISOString(), "0".repeat(64), Buffer.alloc(64).toString("base64"));
    expect(await log.verifyAsync(null)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it("continues across a prune: the prune row carries the digest the remaining rows start from", () => {
    expect(log.prune(new Date(Date.parse("2026-01-01T00:00:04.500Z")))).toBe(4);
    const b = bundle();
    expect(b.rows[0]?.seq).toBe(5);
    // The prune signed what it left; the checkpoint at seq 6 is still checked against the rows.
    expect(verifyAuditBundle(b, publicKey())).toMatchObject({ ok: true, proven: { seq: 8 }, unproven: 0 });
  });
});
