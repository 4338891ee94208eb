import {
  AuditLog,
  checkAuditStart,
  type Db,
  loadAuditKeyForLog,
  removeStaleTemporaries,
  type TokenChange,
} from "@nsatlas/hub";
import { dataPath } from "./data-dir.js";

/** The HMAC key of the audit chain (0400), next to the database but not in it. */
export const AUDIT_KEY_FILE = "audit.key";
/** The chain head after every append; copy it elsewhere to detect a cut tail. */
export const AUDIT_ANCHOR_FILE = "audit.anchor";

/** The audit log of a data dir, as the server and the CLI both open it: refuses (AuditFileError,
 * one line with what to do) a log whose key is gone or whose rows are behind the anchor.
 * `warn` gets what was repaired on the way. */
export function openAuditLog(db: Db, dataDir: string, warn: (line: string) => void = () => {}): AuditLog {
  const anchorPath = dataPath(dataDir, AUDIT_ANCHOR_FILE);
  // Anchor writes cut short by a crash leave their temporaries; nobody else removes them.
  removeStaleTemporaries(anchorPath);
  const key = loadAuditKeyForLog(db, dataPath(dataDir, AUDIT_KEY_FILE));
  const warning = checkAuditStart(db, anchorPath);
  if (warning) warn(warning);
  return new AuditLog(db, { key, anchorPath });
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
