import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";

/** An audit key or anchor file is missing, unreadable or malformed. */
export class AuditFileError extends Error {
  readonly code = "AUDIT_FILE";
}

const KEY_TEXT = /^[0-9a-f]{64}$/;

/** Reads the HMAC key of the audit chain, creating it (32 random bytes, hex, mode 0400) on first
 * use. It lives outside the database, so someone who can edit the database but not read this
 * file cannot re-hash edited rows. Created with O_EXCL: two processes starting at once agree. */
export function loadOrCreateAuditKey(path: string): Buffer {
  try {
    writeFileSync(path, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o400 });
    chmodSync(path, 0o400); // the umask may have narrowed it further, never widened: set exactly
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return readAuditKey(path);
}

/** Reads an existing key (verification never creates one). */
export function readAuditKey(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (err) {
    throw new AuditFileError(`cannot read the audit key ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  if (!KEY_TEXT.test(text)) throw new AuditFileError(`${path} is not an audit key (64 hex digits)`);
  return Buffer.from(text, "hex");
}

/** The chain head written after every append: a copy shipped elsewhere shows a cut tail. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** Writes the anchor atomically (a reader never sees half a file). */
export function writeAnchor(path: string, anchor: AuditAnchor): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ seq: anchor.seq, hash: anchor.hash })}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}

/** Reads an anchor file; throws AuditFileError with a readable message. */
export function readAnchor(path: string): AuditAnchor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new AuditFileError(`cannot read the anchor ${path}: ${(err as NodeJS.ErrnoException).code ?? "not JSON"}`);
  }
  const a = parsed as Partial<AuditAnchor>;
  if (!Number.isInteger(a.seq) || typeof a.hash !== "string" || !KEY_TEXT.test(a.hash)) {
    throw new AuditFileError(`${path} is not an audit anchor ({"seq", "hash"})`);
  }
  return { seq: a.seq as number, hash: a.hash };
}
