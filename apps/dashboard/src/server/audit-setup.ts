import {
  AuditLog,
  checkAuditStart,
  type Db,
  loadAuditKeyForLog,
  loadOrCreateSigningKey,
  removeStaleTemporaries,
  type TokenChange,
} from "@nsatlas/hub";
import { dataPath } from "./data-dir.js";

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

/** Signs a checkpoint every `everyMs` when the head moved, and one more at stop (shutdown).
 * A failed checkpoint is logged; the next tick tries again. */
export function scheduleCheckpoints(audit: AuditLog, everyMs: number, log: AuditNotes & { error(line: string): void }) {
  const tick = (reason: "interval" | "shutdown") => {
    try {
      audit.checkpoint(reason);
    } catch (err) {
      log.error(`audit: cannot sign a checkpoint: ${(err as Error).message}`);
    }
  };
  const timer = setInterval(() => tick("interval"), everyMs);
  timer.unref();
  return {
    stop(): void {
      clearInterval(timer);
      tick("shutdown");
    },
  };
}

/** Records token changes (create, rotate, revoke) made by `actor`. */
export function auditTokenChanges(audit: () => AuditLog | null, actor: string, role: string | null) {
  return (c: TokenChange): void => {
    audit()?.append({
      actor,
      role,
      action: `token.${c.kind}`,
      target: { name: c.name },
      params: { role: c.role },
      result: "ok",
    });
  };
}
