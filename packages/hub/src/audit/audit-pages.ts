import type { AuditCheckpoint, AuditEvent } from "@nsatlas/protocol";
import type { Db } from "../database.js";
import { type AuditDbRow, fromDbRow } from "./audit-row.js";

/** Every audit row of a database, oldest first, read lazily (needs no key: for export and
 * verification of a database opened read-only). */
export function* auditRows(db: Db): Generator<AuditEvent> {
  for (const page of auditPages(db)) yield* page;
}

/** The rows up to the head as it was when the first page was read, `size` at a time. Each page
 * is its own statement, so the connection stays free between pages (an open better-sqlite3
 * iterator would make every other statement on it throw) and appends go on meanwhile. */
export function* auditPages(db: Db, size = 200): Generator<AuditEvent[]> {
  const head = db.prepare("SELECT MAX(seq) AS seq FROM audit").get() as { seq: number | null };
  const page = db.prepare("SELECT * FROM audit WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
  for (let after = 0; after < (head.seq ?? 0); ) {
    const rows = (page.all(after, head.seq, size) as AuditDbRow[]).map(fromDbRow);
    const last = rows.at(-1);
    if (!last) return;
    yield rows;
    after = last.seq;
  }
}

const CHECKPOINT_COLUMNS = "SELECT key_id AS keyId, seq, ts, digest, signature FROM audit_checkpoints";

/** Every checkpoint of a database, oldest first (needs no key). */
export function auditCheckpoints(db: Db): AuditCheckpoint[] {
  return db.prepare(`${CHECKPOINT_COLUMNS} ORDER BY id`).all() as AuditCheckpoint[];
}

/** The newest checkpoint of a database, or null. */
export function latestAuditCheckpoint(db: Db): AuditCheckpoint | null {
  const r = db.prepare(`${CHECKPOINT_COLUMNS} ORDER BY id DESC LIMIT 1`).get() as AuditCheckpoint | undefined;
  return r ?? null;
}
