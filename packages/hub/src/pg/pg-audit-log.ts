import type { AuditCheckpoint, AuditEvent, AuditPublicKey, AuditVerification } from "@nsatlas/protocol";
import type { AuditAnchor } from "../audit/audit-files.js";
import { type AuditHead, type AuditLogOptions, moveAnchor } from "../audit/audit-log.js";
import {
  AUDIT_INSERT_COLUMNS,
  type AuditDbRow,
  type AuditInput,
  auditInsertValues,
  fromDbRow,
  nextAuditEvent,
  PRUNE_ACTION,
} from "../audit/audit-row.js";
import { headCheckpoint } from "../audit/audit-signing.js";
import { verifyAuditPages } from "../audit/audit-verify.js";
import type { AuditStorage, CheckpointReason } from "../storage.js";
import { PG_LOCK, type PgDatabase, type PgQueryable } from "./pg-database.js";

const INSERT = `INSERT INTO audit (${AUDIT_INSERT_COLUMNS.join(", ")})
  VALUES (${AUDIT_INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`;
const CHECKPOINT_COLUMNS = 'SELECT key_id AS "keyId", seq, ts, digest, signature FROM audit_checkpoints';

async function headOf(q: PgQueryable): Promise<AuditHead | null> {
  const r = await q.query<AuditHead>("SELECT seq, hash, digest, ts FROM audit ORDER BY seq DESC LIMIT 1");
  return r.rows[0] ?? null;
}

/** The hash-chained audit log in PostgreSQL, ONE chain for every replica: each append takes a
 * transaction-scoped advisory lock (PG_LOCK.audit) before it reads the head, so appends from
 * any number of replicas are serialised in the database and can neither fork the chain (two
 * rows after one head: the seq primary key would refuse the second anyway) nor leave a gap.
 * Pruning and checkpoints take the same lock. The anchor file is this replica's last append. */
export class PgAuditLog implements AuditStorage {
  readonly #now: () => Date;
  /** This replica's appends, one after another: only one of its connections waits for the
   * database lock at a time, the rest wait here (a burst never exhausts the pool). */
  #tail: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly db: PgDatabase,
    private readonly o: AuditLogOptions,
  ) {
    this.#now = o.now ?? (() => new Date());
  }

  async #appendLocked(q: PgQueryable, e: AuditInput, head?: AuditHead | null): Promise<AuditEvent> {
    const h = head === undefined ? await headOf(q) : head;
    const event = nextAuditEvent(this.o.key, h, e, this.#now());
    await q.query(INSERT, auditInsertValues(event));
    return event;
  }

  #moveAnchor(head: AuditAnchor & { digest: string }): void {
    moveAnchor(this.o, head);
  }

  /** Appends one row (committed before the anchor names it); throws and writes nothing when
   * the database cannot store it. */
  append(e: AuditInput): Promise<AuditEvent> {
    return this.#serial(() => this.db.locked(PG_LOCK.audit, (c) => this.#appendLocked(c, e)));
  }

  #serial(write: () => Promise<AuditEvent>): Promise<AuditEvent> {
    const run = this.#tail.then(write, write).then((event) => {
      this.#moveAnchor(event);
      return event;
    });
    this.#tail = run.catch(() => {});
    return run;
  }

  head(): Promise<AuditHead | null> {
    return headOf(this.db.pool);
  }

  async list(since: number, limit: number): Promise<AuditEvent[]> {
    const r = await this.db.pool.query<AuditDbRow>("SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2", [
      since,
      limit,
    ]);
    return r.rows.map(fromDbRow);
  }

  async forHost(hostId: string, from: string, to: string): Promise<AuditEvent[]> {
    const r = await this.db.pool.query<AuditDbRow>(
      "SELECT * FROM audit WHERE target_host = $1 AND ts >= $2 AND ts <= $3 ORDER BY seq",
      [hostId, from, to],
    );
    return r.rows.map(fromDbRow);
  }

  /** The rows up to the head as it was when the first page was read, `size` at a time. */
  async *pages(size = 200): AsyncGenerator<AuditEvent[]> {
    const head = (await this.head())?.seq ?? 0;
    for (let after = 0; after < head; ) {
      const r = await this.db.pool.query<AuditDbRow>(
        "SELECT * FROM audit WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
        [after, head, size],
      );
      const rows = r.rows.map(fromDbRow);
      const last = rows.at(-1);
      if (!last) return;
      yield rows;
      after = last.seq;
    }
  }

  /** Verifies the whole chain a page at a time (checkpoints of this log's key included). */
  async verifyAsync(anchor: AuditAnchor | null): Promise<AuditVerification> {
    return verifyAuditPages(this.o.key, anchor, this.o.signer, await this.checkpoints(), this.pages(500));
  }

  /** Retention: deletes the prefix older than `before` and records that as a row of its own
   * (see AuditLog.prune), under the append lock: no replica appends in between. */
  async prune(before: Date, actor = "system"): Promise<number> {
    const pruned = await this.db.locked(PG_LOCK.audit, async (c) => {
      const last = (
        await c.query<AuditHead>("SELECT seq, hash, digest FROM audit WHERE ts < $1 ORDER BY seq DESC LIMIT 1", [
          before.toISOString(),
        ])
      ).rows[0];
      if (!last) return 0;
      const first = (await c.query<{ seq: number }>("SELECT MIN(seq) AS seq FROM audit")).rows[0]?.seq ?? last.seq;
      const head = await headOf(c);
      await c.query("INSERT INTO audit_prune_gate (through) VALUES ($1)", [last.seq]);
      const gone = (await c.query("DELETE FROM audit WHERE seq <= $1", [last.seq])).rowCount ?? 0;
      await c.query("DELETE FROM audit_prune_gate");
      const params = {
        fromSeq: first,
        throughSeq: last.seq,
        throughHash: last.hash,
        throughDigest: last.digest,
        rows: gone,
        before: before.toISOString(),
      };
      await this.#appendLocked(c, { actor, action: PRUNE_ACTION, params, result: "ok" }, head);
      return gone;
    });
    const head = await this.head();
    if (pruned > 0 && head !== null) {
      this.#moveAnchor(head);
      await this.checkpoint("prune");
    }
    return pruned;
  }

  publicKey(): AuditPublicKey | null {
    return this.o.signer?.info ?? null;
  }

  /** Signs the head unless the newest checkpoint of this key names it (under the append lock:
   * replicas on a timer sign each head once between them). */
  async checkpoint(reason: CheckpointReason): Promise<AuditCheckpoint | null> {
    const signer = this.o.signer;
    if (!signer) return null;
    return this.db.locked(PG_LOCK.audit, async (c) => {
      const head = await headOf(c);
      if (!head) return null;
      const last = (await c.query<AuditCheckpoint>(`${CHECKPOINT_COLUMNS} ORDER BY id DESC LIMIT 1`)).rows[0];
      const { checkpoint: cp, fresh } = headCheckpoint(signer, head, last, this.#now());
      if (!fresh) return cp;
      await c.query(
        "INSERT INTO audit_checkpoints (key_id, seq, ts, digest, signature, reason) VALUES ($1, $2, $3, $4, $5, $6)",
        [cp.keyId, cp.seq, cp.ts, cp.digest, cp.signature, reason],
      );
      return cp;
    });
  }

  async latestCheckpoint(): Promise<AuditCheckpoint | null> {
    const r = await this.db.pool.query<AuditCheckpoint>(`${CHECKPOINT_COLUMNS} ORDER BY id DESC LIMIT 1`);
    return r.rows[0] ?? null;
  }

  async checkpoints(): Promise<AuditCheckpoint[]> {
    return (await this.db.pool.query<AuditCheckpoint>(`${CHECKPOINT_COLUMNS} ORDER BY id`)).rows;
  }

  /** How many rows the log holds (the start-up checks need it). */
  async count(): Promise<number> {
    const r = await this.db.pool.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM audit");
    return r.rows[0]?.n ?? 0;
  }

  /** The stored hash at `seq`, if that row is still there. */
  async hashAt(seq: number): Promise<string | undefined> {
    const r = await this.db.pool.query<{ hash: string }>("SELECT hash FROM audit WHERE seq = $1", [seq]);
    return r.rows[0]?.hash;
  }
}
