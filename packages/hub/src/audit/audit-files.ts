import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/** An audit key or anchor file is missing, unreadable or malformed. */
export class AuditFileError extends Error {
  readonly code = "AUDIT_FILE";
}

const KEY_TEXT = /^[0-9a-f]{64}$/;

/** Reads the HMAC key of the audit chain, creating it (32 random bytes, hex, mode 0400) on first
 * use. It lives outside the database, so someone who can edit the database but not read this
 * file cannot re-hash edited rows. Created with O_EXCL: two processes starting at once agree. */
export function loadOrCreateAuditKey(path: string): Buffer {
  createFileOnce(path, `${randomBytes(32).toString("hex")}\n`, 0o400);
  return readAuditKey(path);
}

/** Writes `text` to a new or truncated file and fsyncs it. */
function writeSynced(path: string, text: string, mode: number): void {
  const fd = openSync(path, "w", mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates `path` with `text` unless it exists; returns whether this call created it. The file
 * appears whole or not at all (written and fsync'd under a temporary name, then hard-linked,
 * which fails if the name exists): a crash never leaves an empty key, and two processes
 * starting at once agree on one. */
export function createFileOnce(path: string, text: string, mode: number): boolean {
  if (existsSync(path)) return false;
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeSynced(tmp, text, mode);
    chmodSync(tmp, mode); // the umask may have narrowed it further, never widened: set exactly
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
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
  /** The keyless digest at seq (anchors of older versions have none). */
  digest?: string;
}

/** Writes `text` to `path` so that after a crash the file is either the old or the new text:
 * a temporary of this process, fsync'd, then renamed over it. The directory is not fsync'd:
 * a rename lost to a power cut leaves the previous text, which for the anchor is an older head
 * (true, just behind), never a torn file. A failed write removes its temporary. */
export function writeFileDurably(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeSynced(tmp, text, mode);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes the anchor atomically and durably (a reader never sees half a file). */
export function writeAnchor(path: string, anchor: AuditAnchor): void {
  const digest = anchor.digest ? { digest: anchor.digest } : {};
  writeFileDurably(path, `${JSON.stringify({ seq: anchor.seq, hash: anchor.hash, ...digest })}\n`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes `<path>.tmp-PID` files left by processes that died mid-write (kill -9, power cut);
 * a live process's temporary is its write in progress and stays. Returns the names removed. */
export function removeStaleTemporaries(path: string): string[] {
  const prefix = `${basename(path)}.tmp-`;
  const removed: string[] = [];
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) continue;
    rmSync(join(dirname(path), name), { force: true });
    removed.push(name);
  }
  return removed;
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
  const digestOk = a.digest === undefined || (typeof a.digest === "string" && KEY_TEXT.test(a.digest));
  if (!Number.isInteger(a.seq) || typeof a.hash !== "string" || !KEY_TEXT.test(a.hash) || !digestOk) {
    throw new AuditFileError(`${path} is not an audit anchor ({"seq", "hash", "digest"})`);
  }
  return { seq: a.seq as number, hash: a.hash, ...(a.digest ? { digest: a.digest } : {}) };
}
