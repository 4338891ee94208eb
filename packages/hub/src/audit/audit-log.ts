import type { AuditCheckpoint, AuditEvent, AuditPublicKey, AuditVerification } from "@nsatlas/protocol";
import type { Db } from "../database.js";
import type { AuditStorage, Awaitable, CheckpointReason } from "../storage.js";
import { type AuditAnchor, writeAnchor } from "./audit-files.js";
import { auditCheckpoints, auditPages, auditRows, latestAuditCheckpoint } from "./audit-pages.js";
import {
  AUDIT_INSERT_COLUMNS,
  type AuditDbRow,
  type AuditInput,
  auditInsertValues,
  fromDbRow,
  nextAuditEvent,
  PRUNE_ACTION,
} from "./audit-row.js";
import { type AuditSigner, headCheckpoint } from "./audit-signing.js";
import { verifyAuditChain, verifyAuditPages } from "./audit-verify.js";

export type { AuditInput } from "./audit-row.js";

/** The newest row as the next append and a checkpoint need it. */
export interface AuditHead extends AuditAnchor {
  digest: string;
  ts: string;
}

/** Anything that records audit events (the log, or a test double). */
export interface AuditSink {
  append(e: AuditInput): Awaitable<AuditEvent>;
}

export interface AuditLogOptions {
  key: Buffer;
  /** The anchor file (chain head after every append); null writes none. */
  anchorPath: string | null;
  now?: () => Date;
  /** Signs checkpoints of the digest chain; null makes none. */
  signer?: AuditSigner | null;
  /** Called when the anchor cannot be written after a committed append (default: a warning). */
  onAnchorError?: (err: Error) => void;
}

const warnAnchor = (err: Error) => process.emitWarning(`cannot move the audit anchor: ${err.message}`, "AuditAnchor");

/** Writes the anchor of a log's options after a committed append (none without a path); a
 * failed write (full disk) does not undo the row: it is reported. */
export function moveAnchor(o: AuditLogOptions, head: AuditAnchor & { digest: string }): void {
  if (o.anchorPath === null) return;
  try {
    writeAnchor(o.anchorPath, head);
  } catch (err) {
    (o.onAnchorError ?? warnAnchor)(err as Error);
  }
}

/** The append-only, hash-chained audit log in the hub's SQLite database. Several processes
 * (the server and the `nsatlas` CLI) may append: each append takes SQLite's write lock first
 * (BEGIN IMMEDIATE), so reading the head and inserting the next row is one step. */
export class AuditLog implements AuditStorage {
  readonly #now: () => Date;
  constructor(
    private readonly db: Db,
    private readonly o: AuditLogOptions,
  ) {
    this.#now = o.now ?? (() => new Date());
  }

  /** Appends one row, then moves the anchor; throws (and nothing is written) if the row cannot
   * be stored. A row is committed before the anchor names it, so a crash in between leaves the
   * anchor one row behind (still a true statement), never ahead of the database. */
  append(e: AuditInput): AuditEvent {
    const event = this.db.transaction(() => this.#appendLocked(e)).immediate();
    this.#moveAnchor(event);
    return event;
  }

  /** The anchor after a commit. Two processes appending at once may write theirs in either
   * order: the anchor may then lag the head by a row, which verification accepts. A failed
   * write (full disk) does not undo the committed row; it is reported. */
  #moveAnchor(head: AuditAnchor & { digest: string }): void {
    moveAnchor(this.o, head);
  }

  #appendLocked(e: AuditInput, head = this.head()): AuditEvent {
    const event = nextAuditEvent(this.o.key, head, e, this.#now());
    this.db
      .prepare(
        `INSERT INTO audit (${AUDIT_INSERT_COLUMNS.join(", ")}) VALUES (${AUDIT_INSERT_COLUMNS.map(() => "?").join(", ")})`,
      )
      .run(...auditInsertValues(event));
    return event;
  }

  /** The newest row's seq, hash, digest and time. */
  head(): AuditHead | null {
    const r = this.db.prepare("SELECT seq, hash, digest, ts FROM audit ORDER BY seq DESC LIMIT 1").get() as
      | AuditHead
      | undefined;
    return r ?? null;
  }

  /** Rows after `since` (exclusive), oldest first. */
  list(since: number, limit: number): AuditEvent[] {
    const rows = this.db.prepare("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?").all(since, limit);
    return (rows as AuditDbRow[]).map(fromDbRow);
  }

  /** Rows about one host in a time window (ISO times, inclusive). */
  forHost(hostId: string, from: string, to: string): AuditEvent[] {
    const rows = this.db
      .prepare("SELECT * FROM audit WHERE target_host = ? AND ts >= ? AND ts <= ? ORDER BY seq")
      .all(hostId, from, to);
    return (rows as AuditDbRow[]).map(fromDbRow);
  }

  /** Verifies the whole chain with this log's key (and an anchor, when given). */
  verify(anchor: AuditAnchor | null): AuditVerification {
    return verifyAuditChain(this.all(), this.o.key, anchor);
  }

  /** verify() a page at a time, letting the event loop run between pages: a server stays
   * responsive while it checks a long log. */
  async verifyAsync(anchor: AuditAnchor | null): Promise<AuditVerification> {
    // Checkpoints first: each names a row at or before the head the pages start from.
    return verifyAuditPages(this.o.key, anchor, this.o.signer, this.checkpoints(), auditPages(this.db, 50));
  }

  /** Pages of rows up to the current head (see auditPages). */
  pages(size?: number): Generator<AuditEvent[]> {
    return auditPages(this.db, size);
  }

  /** Every row, oldest first, read lazily (for verification and export). */
  all(): Generator<AuditEvent> {
    return auditRows(this.db);
  }

  /** Retention: deletes the rows older than `before` (a prefix of the chain) and records that
   * as a row of its own, carrying the seq and hash of the last pruned row, so verification
   * knows where the remaining chain must start. Returns the number of rows pruned. */
  prune(before: Date, actor = "system"): number {
    const pruned = this.db
      .transaction(() => {
        const last = this.db
          .prepare("SELECT seq, hash, digest FROM audit WHERE ts < ? ORDER BY seq DESC LIMIT 1")
          .get(before.toISOString()) as AuditHead | undefined;
        if (!last) return 0;
        const first = this.db.prepare("SELECT MIN(seq) AS seq FROM audit").get() as { seq: number };
        // The head before the delete: the chain goes on from it even when every row is pruned.
        const head = this.head();
        // The delete trigger refuses every delete above the gate: open it for this prefix only.
        this.db.prepare("INSERT INTO audit_prune_gate (through) VALUES (?)").run(last.seq);
        const gone = this.db.prepare("DELETE FROM audit WHERE seq <= ?").run(last.seq).changes;
        this.db.prepare("DELETE FROM audit_prune_gate").run();
        this.#appendLocked(
          {
            actor,
            action: PRUNE_ACTION,
            params: {
              fromSeq: first.seq,
              throughSeq: last.seq,
              throughHash: last.hash,
              // Where the keyless chain of the remaining rows starts (see verifyAuditChain).
              throughDigest: last.digest,
              rows: gone,
              before: before.toISOString(),
            },
            result: "ok",
          },
          head,
        );
        return gone;
      })
      .immediate();
    const head = this.head();
    if (pruned > 0 && head !== null) {
      this.#moveAnchor(head);
      // What the prune left is signed at once: the rows it removed are no longer there to show.
      this.checkpoint("prune");
    }
    return pruned;
  }

  /** The public half of the checkpoint key (null without a signer). */
  publicKey(): AuditPublicKey | null {
    return this.o.signer?.info ?? null;
  }

  /** Signs the head as a checkpoint unless the newest checkpoint of this key already names it;
   * returns the checkpoint covering the head (null: no rows, or no signer). */
  checkpoint(reason: CheckpointReason): AuditCheckpoint | null {
    const signer = this.o.signer;
    if (!signer) return null;
    return this.db
      .transaction(() => {
        const head = this.head();
        if (!head) return null;
        const { checkpoint: c, fresh } = headCheckpoint(signer, head, this.latestCheckpoint(), this.#now());
        if (!fresh) return c;
        this.db
          .prepare(
            "INSERT INTO audit_checkpoints (key_id, seq, ts, digest, signature, reason) VALUES (?, ?, ?, ?, ?, ?)",
          )
          .run(c.keyId, c.seq, c.ts, c.digest, c.signature, reason);
        return c;
      })
      .immediate();
  }

  /** The newest checkpoint, or null. */
  latestCheckpoint(): AuditCheckpoint | null {
    return latestAuditCheckpoint(this.db);
  }

  /** Every checkpoint, oldest first. */
  checkpoints(): AuditCheckpoint[] {
    return auditCheckpoints(this.db);
  }
}
