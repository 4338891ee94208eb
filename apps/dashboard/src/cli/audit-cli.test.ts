import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AuditDbRow, auditRowHash, fromDbRow, openDatabase } from "@nsatlas/hub";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { captureOutput } from "../server/testing/captured-output.js";
import { main } from "./main.js";

let dir: string;
let err: string;
let out: string;

/** Runs the CLI in this process, as `nsatlas ARGS` with NSATLAS_DATA_DIR=dir. */
function cli(...argv: string[]): number {
  const output = captureOutput();
  try {
    return main(argv);
  } finally {
    output.restore();
    ({ out, err } = output.text);
  }
}

/** What someone with write access to the database file can do (the triggers do not bind them). */
function tamper(sql: string): void {
  const db = openDatabase(join(dir, "nsatlas.db"));
  db.exec("DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;");
  db.exec(sql);
  db.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-cli-"));
  vi.stubEnv("NSATLAS_DATA_DIR", dir);
  for (const name of ["a", "b", "c", "d"]) expect(cli("token", "create", "--role", "operator", "--name", name)).toBe(0);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe("nsatlas audit verify", () => {
  it("exits 0 on an intact chain (token changes made by the CLI are rows of it)", () => {
    expect(cli("audit", "verify")).toBe(0);
    expect(out).toMatch(/intact: 4 rows, head seq 4/);
    expect(cli("audit", "export", "--format", "csv")).toBe(0);
    expect(out.split("\r\n")[1]).toMatch(/^1,.*,cli:[^,]+,,,,token\.create,,,a,/);
  });

  it("exits 1 with 'broken at seq N' for an edited, deleted or reordered row", () => {
    tamper("UPDATE audit SET target_name = 'z' WHERE seq = 2");
    expect(cli("audit", "verify")).toBe(1);
    expect(err).toMatch(/broken at seq 2/);
    tamper("UPDATE audit SET target_name = 'b' WHERE seq = 2; DELETE FROM audit WHERE seq = 3");
    expect(cli("audit", "verify")).toBe(1);
    expect(err).toMatch(/broken at seq 3/);
  });

  it("exits 1 for reordered rows", () => {
    tamper(
      "UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 100;",
    );
    expect(cli("audit", "verify")).toBe(1);
    expect(err).toMatch(/broken at seq 2/);
  });

  it("exits 1 for a row re-hashed without the key", () => {
    const db = openDatabase(join(dir, "nsatlas.db"));
    const row = fromDbRow(db.prepare("SELECT * FROM audit WHERE seq = 3").get() as AuditDbRow);
    const edited = { ...row, actor: "mallory" };
    const { hash: _h, ...unsigned } = edited;
    const forged = auditRowHash(Buffer.alloc(32, 1), unsigned);
    db.close();
    tamper(`UPDATE audit SET actor = 'mallory', hash = '${forged}' WHERE seq = 3`);
    expect(cli("audit", "verify")).toBe(1);
    expect(err).toMatch(/broken at seq 3/);
  });

  it("exits 1 for a cut tail against a shipped anchor", () => {
    const shipped = join(dir, "shipped.anchor");
    copyFileSync(join(dir, "audit.anchor"), shipped);
    tamper("DELETE FROM audit WHERE seq = 4");
    // The local anchor still says 4 as well; with the shipped copy the cut shows too.
    expect(cli("audit", "verify", "--anchor", shipped)).toBe(1);
    expect(err).toMatch(/broken at seq 4/);
  });

  it("still exits 0 after a prune, which is itself a row; a row deleted after it breaks the chain", async () => {
    await new Promise((r) => setTimeout(r, 5));
    expect(cli("audit", "prune", "--older-than", "1ms")).toBe(0);
    expect(out).toMatch(/pruned 4 audit rows/);
    expect(cli("audit", "verify")).toBe(0);
    expect(out).toMatch(/intact: 1 rows, head seq 5/);
    expect(cli("token", "create", "--role", "auditor", "--name", "e")).toBe(0);
    tamper("DELETE FROM audit WHERE seq = 5");
    expect(cli("audit", "verify")).toBe(1);
    expect(err).toMatch(/broken at seq 6/);
  });

  it("exits 2 for usage errors and an unreadable database", () => {
    expect(cli("audit", "verify", "--bogus", "x")).toBe(2);
    expect(cli("audit", "verify", "--anchor", join(dir, "missing"))).toBe(2);
    writeFileSync(join(dir, "nsatlas.db"), "this is not a database");
    rmSync(join(dir, "nsatlas.db-wal"), { force: true });
    rmSync(join(dir, "nsatlas.db-shm"), { force: true });
    expect(cli("audit", "verify")).toBe(2);
    rmSync(join(dir, "nsatlas.db"));
    expect(cli("audit", "verify")).toBe(2);
  });
});

describe("nsatlas audit export --bundle / verify --bundle (an auditor's machine)", () => {
  it("prints the signing key's fingerprint on first start, and keeps the private key 0400", () => {
    const fresh = mkdtempSync(join(tmpdir(), "nsatlas-cli-fresh-"));
    try {
      vi.stubEnv("NSATLAS_DATA_DIR", fresh);
      expect(cli("token", "create", "--role", "auditor", "--name", "first")).toBe(0);
      expect(err).toMatch(
        /created the audit checkpoint signing key .*audit-signing\.key: Ed25519, key id [0-9a-f]{16}, fingerprint SHA256:/,
      );
      expect(statSync(join(fresh, "audit-signing.key")).mode & 0o777).toBe(0o400);
      expect(cli("token", "create", "--role", "auditor", "--name", "second")).toBe(0);
      expect(err).toBe("");
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("verifies an exported bundle with only the public key, and says up to which row it is proven", () => {
    const bundle = join(dir, "bundle.json");
    const pem = join(dir, "auditor.pem");
    expect(cli("audit", "export", "--bundle", bundle)).toBe(0);
    expect(out).toMatch(/signed through seq 4/);
    copyFileSync(join(dir, "audit-signing.pub"), pem);
    const anchorCopy = join(dir, "anchor.copy");
    copyFileSync(join(dir, "audit.anchor"), anchorCopy);
    // The auditor's machine: no data dir at all.
    vi.stubEnv("NSATLAS_DATA_DIR", join(dir, "nowhere"));
    expect(cli("audit", "verify", "--bundle", bundle, "--public-key", pem)).toBe(0);
    expect(out).toMatch(
      /audit bundle intact: 4 rows \(seq 1–4\); proven through seq 4 \(20\d\d-.*Z\) by the checkpoint of/,
    );
    expect(existsSync(join(dir, "nowhere"))).toBe(false);
    expect(cli("audit", "verify", "--bundle", bundle, "--public-key", pem, "--anchor", anchorCopy)).toBe(0);

    const original = readFileSync(bundle, "utf8");
    const doc = JSON.parse(original);
    expect(doc).toMatchObject({ schema: "nsatlas.audit-bundle/v1", publicKeys: [{ algorithm: "Ed25519" }] });
    doc.rows[1].target.name = "z";
    writeFileSync(bundle, JSON.stringify(doc));
    expect(cli("audit", "verify", "--bundle", bundle, "--public-key", pem)).toBe(1);
    expect(err).toMatch(/audit bundle broken at seq 2/);
    const cut = JSON.parse(original);
    cut.rows.splice(3);
    cut.checkpoints = [];
    writeFileSync(bundle, JSON.stringify(cut));
    expect(cli("audit", "verify", "--bundle", bundle, "--public-key", pem, "--anchor", anchorCopy)).toBe(1);
    expect(err).toMatch(/the tail was cut/);

    writeFileSync(bundle, "{}");
    expect(cli("audit", "verify", "--bundle", bundle, "--public-key", pem)).toBe(2);
    expect(cli("audit", "verify", "--bundle", bundle)).toBe(2);
    expect(cli("audit", "verify", "--bundle", bundle, "--public-key", join(dir, "audit.key"))).toBe(2);
  });

  it("streams CSV with the digest column and quotes formula-like cells", () => {
    expect(cli("token", "create", "--role", "auditor", "--name", "-2.3")).toBe(0);
    expect(cli("audit", "export", "--format", "csv")).toBe(0);
    const [header, first, , , , fifth] = out.split("\r\n");
    expect(header?.endsWith(",prevHash,hash,digest")).toBe(true);
    expect(first).toMatch(/,[0-9a-f]{64}$/);
    expect(fifth).toMatch(/^5,.*,token\.create,,,'-2\.3,/);
  });
});
