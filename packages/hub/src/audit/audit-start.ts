import { existsSync } from "node:fs";
import { basename } from "node:path";
import type { Db } from "../database.js";
import { type AuditAnchor, AuditFileError, loadOrCreateAuditKey, readAnchor, writeAnchor } from "./audit-files.js";

function rowCount(db: Db): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM audit").get() as { n: number }).n;
}

/** The HMAC key of an existing log, or a new one for an empty log. A key is never created
 * while rows exist: they were hashed with the lost key, and a new one would silently start a
 * log nobody can verify. */
export function loadAuditKeyForLog(db: Db, keyPath: string): Buffer {
  if (!existsSync(keyPath)) {
    const rows = rowCount(db);
    if (rows > 0) {
      throw new AuditFileError(
        `${keyPath} is missing but the audit log holds ${rows} rows hashed with it: restore ${basename(keyPath)} from a backup (nsatlas will not create a new key for an existing log)`,
      );
    }
  }
  return loadOrCreateAuditKey(keyPath);
}

/** Start-up check of the database against the anchor, the last head this data dir recorded.
 * Rows lost at the tail (a 0-byte or older database, a cut tail) or a rewritten row refuse the
 * start with what to do; an anchor one commit behind (a crash between commit and anchor write)
 * or missing is brought up to the head. Returns a warning to log, or null. */
export function checkAuditStart(db: Db, anchorPath: string): string | null {
  const head = db.prepare("SELECT seq, hash, digest FROM audit ORDER BY seq DESC LIMIT 1").get() as
    | AuditAnchor
    | undefined;
  const hashAt = (seq: number) =>
    (db.prepare("SELECT hash FROM audit WHERE seq = ?").get(seq) as { hash: string } | undefined)?.hash;
  return checkAnchorAtStart(anchorPath, head ?? null, hashAt);
}

/** checkAuditStart on any store: `head` is the log's newest row, `hashAt` the stored hash at a
 * seq (undefined when that row was pruned). With a shared database the anchor may trail the
 * head by any number of rows (other replicas appended since): only its row must be there. */
export function checkAnchorAtStart(
  anchorPath: string,
  head: AuditAnchor | null,
  hashAt: (seq: number) => string | undefined,
): string | null {
  const name = basename(anchorPath);
  if (!existsSync(anchorPath)) {
    if (!head) return null;
    writeAnchor(anchorPath, head);
    return `${name} was missing; recreated at the database's head (seq ${head.seq}). If it was removed on purpose, compare with a copy kept elsewhere (nsatlas audit verify --anchor COPY)`;
  }
  const anchor = readAnchor(anchorPath);
  const restore = `restore the database from a backup; to start a new, empty log on purpose, move ${name} and audit.key aside`;
  if (!head) {
    throw new AuditFileError(
      `the database has no audit rows but ${name} says the log reached seq ${anchor.seq}: the history was lost — ${restore}`,
    );
  }
  if (anchor.seq === head.seq + 1 && anchor.digest === undefined) {
    // Versions before digests wrote the anchor inside the transaction, before the commit: one
    // that was killed in between left an anchor one row past the head, naming a row that never
    // committed. Anchors with a digest are written after the commit, so this is not excused.
    writeAnchor(anchorPath, head);
    return `${name} named seq ${anchor.seq}, one past the head: written by an older version that stopped between writing it and committing that row; brought back to the head (seq ${head.seq})`;
  }
  if (anchor.seq > head.seq) {
    throw new AuditFileError(
      `the audit log ends at seq ${head.seq} but ${name} says it reached seq ${anchor.seq}: rows were lost — ${restore}`,
    );
  }
  const at = hashAt(anchor.seq);
  if (at !== undefined && at !== anchor.hash) {
    throw new AuditFileError(
      `the audit row at seq ${anchor.seq} is not the one ${name} recorded: the history was rewritten or the database replaced — ${restore}`,
    );
  }
  if (anchor.seq < head.seq) writeAnchor(anchorPath, head);
  return null;
}
