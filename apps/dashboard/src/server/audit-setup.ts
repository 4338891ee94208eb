import { existsSync } from "node:fs";
import {
  AuditFileError,
  AuditLog,
  type AuditStorage,
  type Awaitable,
  auditRowHash,
  checkAnchorAtStart,
  checkAuditStart,
  type Db,
  loadAuditKeyForLog,
  loadOrCreateSigningKey,
  PgAuditLog,
  type PgDatabase,
  readAnchor,
  readAuditKey,
  readSigningKey,
  removeStaleTemporaries,
  type TokenChange,
} from "@nsatlas/hub";
import { dataPath } from "./data-dir.js";
import type { DatabaseSettings } from "./env.js";

/** The HMAC key of the audit chain (0400), next to the database but not in it. */
export const AUDIT_KEY_FILE = "audit.key";
/** The chain head after every append; copy it elsewhere to detect a cut tail. */
export const AUDIT_ANCHOR_FILE = "audit.anchor";

/** The Ed25519 key that signs checkpoints (PKCS#8 PEM, 0400), a file apart from the HMAC key. */
export const AUDIT_SIGNING_KEY_FILE = "audit-signing.key";
/** Its public half, for auditors (also `GET /api/v1/audit/public-key`). */
export const AUDIT_PUBLIC_KEY_FILE = "audit-signing.pub";

/** Where openAuditLog says what it created or repaired. */
export interface AuditNotes {
  info(line: string): void;
  warn(line: string): void;
}

const silent: AuditNotes = { info: () => {}, warn: () => {} };

/** The audit log of a data dir, as the server and the CLI both open it: refuses (AuditFileError,
 * one line with what to do) a log whose key is gone or whose rows are behind the anchor. A new
 * signing key's fingerprint goes to `notes.info`, repairs to `notes.warn`. */
export function openAuditLog(db: Db, dataDir: string, notes: AuditNotes = silent): AuditLog {
  const anchorPath = dataPath(dataDir, AUDIT_ANCHOR_FILE);
  // Writes cut short by a crash leave their temporaries; nobody else removes them.
  for (const f of [AUDIT_ANCHOR_FILE, AUDIT_KEY_FILE, AUDIT_SIGNING_KEY_FILE])
    removeStaleTemporaries(dataPath(dataDir, f));
  const key = loadAuditKeyForLog(db, dataPath(dataDir, AUDIT_KEY_FILE));
  const warning = checkAuditStart(db, anchorPath);
  if (warning) notes.warn(warning);
  const signed = (db.prepare("SELECT COUNT(*) AS n FROM audit_checkpoints").get() as { n: number }).n;
  const { signer, created } = loadOrCreateSigningKey(
    dataPath(dataDir, AUDIT_SIGNING_KEY_FILE),
    dataPath(dataDir, AUDIT_PUBLIC_KEY_FILE),
    signed,
  );
  if (created) {
    notes.info(
      `created the audit checkpoint signing key ${dataPath(dataDir, AUDIT_SIGNING_KEY_FILE)}: Ed25519, key id ${signer.info.keyId}, fingerprint ${signer.info.fingerprint} (auditors: keep ${AUDIT_PUBLIC_KEY_FILE} and compare this fingerprint)`,
    );
  }
  return new AuditLog(db, { key, anchorPath, signer });
}

/** The audit log in PostgreSQL, shared by every replica, as the server and the CLI open it. The
 * HMAC and signing keys come from the files every replica is given (never created here: a
 * replica with a key of its own would fork the trust in one chain). Refuses (AuditFileError)
 * a key that did not hash the newest row, and a database that lacks the row this data dir's
 * anchor names (rows lost, or another database); an anchor behind the head is normal (other
 * replicas appended) and is brought up to it. */
export async function openPgAuditLog(
  pg: PgDatabase,
  database: DatabaseSettings,
  dataDir: string | null,
  notes: AuditNotes = silent,
): Promise<PgAuditLog> {
  const key = readAuditKey(database.auditKeyFile);
  const signer = readSigningKey(database.auditSigningKeyFile);
  const anchorPath = dataDir === null ? null : dataPath(dataDir, AUDIT_ANCHOR_FILE);
  if (anchorPath !== null) removeStaleTemporaries(anchorPath);
  const log = new PgAuditLog(pg, { key, anchorPath, signer });
  const head = await log.head();
  if (head) {
    const [row] = await log.list(head.seq - 1, 1);
    if (row) {
      const { hash, digest: _digest, ...unsigned } = row;
      if (auditRowHash(key, unsigned) !== hash) {
        throw new AuditFileError(
          `${database.auditKeyFile} is not the key of this audit log (the newest row, seq ${head.seq}, was hashed with another): give every replica the same NSATLAS_AUDIT_KEY_FILE`,
        );
      }
    }
  }
  if (anchorPath !== null) {
    const anchor = existsSync(anchorPath) ? readAnchor(anchorPath) : null;
    const hashAtAnchor = anchor ? await log.hashAt(anchor.seq) : undefined;
    const warning = checkAnchorAtStart(anchorPath, head, () => hashAtAnchor);
    if (warning) notes.warn(warning);
  }
  return log;
}

/** Signs a checkpoint every `everyMs` when the head moved, and one more at stop (shutdown).
 * A failed checkpoint is logged; the next tick tries again. */
export function scheduleCheckpoints(
  audit: AuditStorage,
  everyMs: number,
  log: AuditNotes & { error(line: string): void },
) {
  const tick = async (reason: "interval" | "shutdown") => {
    try {
      await audit.checkpoint(reason);
    } catch (err) {
      log.error(`audit: cannot sign a checkpoint: ${(err as Error).message}`);
    }
  };
  const timer = setInterval(() => void tick("interval"), everyMs);
  timer.unref();
  return {
    stop(): Promise<void> {
      clearInterval(timer);
      return tick("shutdown");
    },
  };
}

/** Records token changes (create, rotate, revoke) made by `actor`. */
export function auditTokenChanges(audit: () => AuditStorage | null, actor: string, role: string | null) {
  // SQLite answers at once (a failed append throws to the token command); PostgreSQL later.
  return (c: TokenChange): Awaitable<unknown> =>
    audit()?.append({
      actor,
      role,
      action: `token.${c.kind}`,
      target: { name: c.name },
      params: { role: c.role },
      result: "ok",
    });
}
