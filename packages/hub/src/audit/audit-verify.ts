import { createPublicKey, type KeyObject } from "node:crypto";
import type { AuditCheckpoint, AuditEvent, AuditVerification } from "@nsatlas/protocol";
import type { AuditAnchor } from "./audit-files.js";
import { auditRowDigest, auditRowHash, GENESIS_HASH, PRUNE_ACTION } from "./audit-row.js";
import { type AuditSigner, checkpointSignedBy } from "./audit-signing.js";
import { timeSlicer, yieldToEventLoop } from "./time-slice.js";

interface PruneRecord {
  throughSeq: number;
  throughHash: string;
  /** Absent in prunes made before rows had digests. */
  throughDigest: string | null;
}

function pruneRecord(e: AuditEvent): PruneRecord | null {
  const p = e.params as Partial<PruneRecord> | null;
  if (e.action !== PRUNE_ACTION || !p || !Number.isInteger(p.throughSeq) || typeof p.throughHash !== "string") {
    return null;
  }
  const throughDigest = typeof p.throughDigest === "string" ? p.throughDigest : null;
  return { throughSeq: p.throughSeq as number, throughHash: p.throughHash, throughDigest };
}

/** A row at a seq someone asked about (a checkpoint's), as the chain check found it. */
export interface RowAt {
  digest: string;
  ts: string;
}

/** Checks a chain row by row, oldest first, holding one row at a time (a log of any length is
 * checked in constant memory, and a caller may yield between rows). With a key: every hash is
 * the keyed HMAC of its row (an edited row, or one re-hashed without the key, fails) and every
 * prevHash the previous hash. Without one (an auditor's machine): only what anyone can
 * recompute. Always: seqs follow each other (a deleted or reordered row fails), every digest is
 * SHA-256(previous digest ‖ canonical row), the first row starts the chain (64 zeros) or
 * continues exactly where a recorded prune ended, and the anchor's head is still there (a cut
 * tail fails). Reports the first seq where the chain breaks. */
export class AuditChainCheck {
  #prev: AuditEvent | null = null;
  #first: AuditEvent | null = null;
  #lastPrune: PruneRecord | null = null;
  #count = 0;
  #broken: { at: number; reason: string } | null = null;
  #anchorRow: AuditEvent | null = null;
  readonly #at = new Map<number, RowAt>();

  constructor(
    private readonly key: Buffer | null,
    private readonly anchor: AuditAnchor | null = null,
    /** Seqs whose digest and time `rowsAt()` reports (checkpoints to compare). */
    private readonly wanted: ReadonlySet<number> = new Set(),
  ) {}

  #fail(at: number, reason: string): void {
    if (this.#broken === null || at < this.#broken.at) this.#broken = { at, reason };
  }

  add(row: AuditEvent): void {
    this.#count += 1;
    const prev = this.#prev;
    if (this.key !== null) {
      const { hash, digest: _digest, ...unsigned } = row;
      if (auditRowHash(this.key, unsigned) !== hash) this.#fail(row.seq, "the row's hash does not match its content");
    }
    if (prev === null) {
      this.#first = row;
      if (row.seq === 1) this.#checkDigest(row, GENESIS_HASH, "the first row's digest does not start a chain");
    } else if (row.seq !== prev.seq + 1) this.#fail(prev.seq + 1, `row ${prev.seq + 1} is missing`);
    else {
      if (row.prevHash !== prev.hash) this.#fail(row.seq, "prevHash is not the hash of the row before");
      this.#checkDigest(row, prev.digest, "the row's digest does not follow from the row before and its content");
    }
    this.#lastPrune = pruneRecord(row) ?? this.#lastPrune;
    if (this.anchor !== null && row.seq === this.anchor.seq) this.#anchorRow = row;
    if (this.wanted.has(row.seq)) this.#at.set(row.seq, { digest: row.digest, ts: row.ts });
    this.#prev = row;
  }

  #checkDigest(row: AuditEvent, prevDigest: string, reason: string): void {
    // A database of an older version read before its upgrade (read-only `audit verify`) has no
    // digests yet: with the key, the HMAC chain is the whole check; without it, nothing is.
    if (row.digest === "" && this.key !== null) return;
    if (auditRowDigest(prevDigest, row) !== row.digest) this.#fail(row.seq, reason);
  }

  /** The first and last seq seen (null before any row). */
  span(): { first: number; last: number } | null {
    return this.#first && this.#prev ? { first: this.#first.seq, last: this.#prev.seq } : null;
  }

  /** The stored digest and time at each wanted seq that was seen. */
  rowsAt(): ReadonlyMap<number, RowAt> {
    return this.#at;
  }

  /** Marks the chain broken at `at` (a caller's own finding, e.g. a checkpoint). */
  fail(at: number, reason: string): void {
    this.#fail(at, reason);
  }

  finish(): AuditVerification {
    const start = this.#first;
    if (start !== null && start.seq !== 1) {
      const p = this.#lastPrune;
      if (p === null || p.throughSeq !== start.seq - 1 || p.throughHash !== start.prevHash) {
        this.#fail(start.seq, `rows before ${start.seq} are missing and no prune record covers them`);
      } else {
        // A prefix pruned before digests existed: the upgrade started the digests at 64 zeros.
        this.#checkDigest(start, p.throughDigest ?? GENESIS_HASH, "the first row's digest does not continue the prune");
      }
    }
    const last = this.#prev;
    if (this.anchor !== null) {
      const lastSeq = last?.seq ?? 0;
      if (this.anchor.seq > lastSeq)
        this.#fail(lastSeq + 1, `the anchor's head is seq ${this.anchor.seq}: the tail was cut`);
      else {
        const at = this.#anchorRow;
        if (at !== null && at.hash !== this.anchor.hash)
          this.#fail(this.anchor.seq, "the row at the anchor's seq has another hash");
        if (at !== null && this.anchor.digest && at.digest !== this.anchor.digest) {
          this.#fail(this.anchor.seq, "the row at the anchor's seq has another digest");
        }
      }
    }
    const b = this.#broken;
    return {
      ok: b === null,
      rows: this.#count,
      head: last ? { seq: last.seq, hash: last.hash } : null,
      brokenAt: b?.at ?? null,
      reason: b?.reason ?? null,
    };
  }
}

/** The newest checkpoint that matches the rows: the chain is proven up to its seq. */
export interface ProvenThrough {
  seq: number;
  rowTs: string;
  checkpointTs: string;
}

/** Checks checkpoints of one key against rows a check has seen (it must have been created with
 * their seqs as `wanted`): each signature (a forged or edited checkpoint breaks the chain at its
 * seq), a checkpoint past the last row (a cut tail), and each digest against the rows' (rows
 * changed since it was signed break at the first row after the previous good checkpoint).
 * Checkpoints of rows pruned since are `ignored`. */
export function checkCheckpoints(
  check: AuditChainCheck,
  checkpoints: readonly AuditCheckpoint[],
  publicKey: KeyObject,
): { proven: ProvenThrough | null; ignored: number } {
  const span = check.span();
  const firstSeq = span?.first ?? 1;
  const lastSeq = span?.last ?? 0;
  let proven: ProvenThrough | null = null;
  let ignored = 0;
  for (const c of [...checkpoints].sort((a, b) => a.seq - b.seq)) {
    if (!checkpointSignedBy(c, publicKey)) {
      check.fail(c.seq, `the checkpoint at seq ${c.seq} is not signed by key ${c.keyId} (forged or edited)`);
      continue;
    }
    if (c.seq < firstSeq) {
      ignored += 1; // its rows were pruned since
      continue;
    }
    if (c.seq > lastSeq) {
      check.fail(lastSeq + 1, `a checkpoint signed seq ${c.seq} but the rows end at ${lastSeq}: the tail was cut`);
      continue;
    }
    const at = check.rowsAt().get(c.seq);
    if (!at || at.digest !== c.digest) {
      const from = proven ? proven.seq + 1 : firstSeq;
      check.fail(from, `rows ${from}–${c.seq} are not the ones the checkpoint at seq ${c.seq} signed`);
      continue;
    }
    proven = { seq: c.seq, rowTs: at.ts, checkpointTs: c.ts };
  }
  return { proven, ignored };
}

/** Checks a whole chain with the HMAC key (see AuditChainCheck). */
export function verifyAuditChain(
  rows: Iterable<AuditEvent>,
  key: Buffer,
  anchor: AuditAnchor | null = null,
): AuditVerification {
  const check = new AuditChainCheck(key, anchor);
  for (const row of rows) check.add(row);
  return check.finish();
}

/** Verifies rows page by page, letting the event loop run between time slices, then the
 * checkpoints of `signer`'s key among `checkpoints` (none without a signer). */
export async function verifyAuditPages(
  key: Buffer,
  anchor: AuditAnchor | null,
  signer: AuditSigner | null | undefined,
  checkpoints: readonly AuditCheckpoint[],
  pages: Iterable<AuditEvent[]> | AsyncIterable<AuditEvent[]>,
): Promise<AuditVerification> {
  const mine = signer ? checkpoints.filter((c) => c.keyId === signer.info.keyId) : [];
  const check = new AuditChainCheck(key, anchor, new Set(mine.map((c) => c.seq)));
  const slice = timeSlicer();
  for await (const page of pages) {
    for (const row of page) check.add(row);
    if (slice.due()) await yieldToEventLoop();
  }
  if (signer) checkCheckpoints(check, mine, createPublicKey(signer.info.publicKey));
  return check.finish();
}
