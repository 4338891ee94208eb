import type { AuditEvent, AuditVerification } from "@nsatlas/protocol";
import type { AuditAnchor } from "./audit-files.js";
import { auditRowHash, GENESIS_HASH, PRUNE_ACTION } from "./audit-row.js";

interface PruneRecord {
  throughSeq: number;
  throughHash: string;
}

function pruneRecord(e: AuditEvent): PruneRecord | null {
  const p = e.params as Partial<PruneRecord> | null;
  if (e.action !== PRUNE_ACTION || !p || !Number.isInteger(p.throughSeq) || typeof p.throughHash !== "string") {
    return null;
  }
  return { throughSeq: p.throughSeq as number, throughHash: p.throughHash };
}

/** Checks a chain, oldest row first: every hash is the keyed HMAC of its row (an edited row, or
 * one re-hashed without the key, fails), seqs follow each other and every prevHash is the
 * previous hash (a deleted or reordered row fails), the first row starts the chain (64 zeros)
 * or continues exactly where a recorded prune ended, and the anchor's head is still there
 * (a cut tail fails). Reports the first seq where the chain breaks. */
export function verifyAuditChain(
  rows: Iterable<AuditEvent>,
  key: Buffer,
  anchor: AuditAnchor | null = null,
): AuditVerification {
  let prev: AuditEvent | null = null;
  let first: AuditEvent | null = null;
  let lastPrune: PruneRecord | null = null;
  let count = 0;
  let broken: { at: number; reason: string } | null = null;
  let anchorRow: AuditEvent | null = null;
  const fail = (at: number, reason: string) => {
    if (broken === null || at < broken.at) broken = { at, reason };
  };
  for (const row of rows) {
    count += 1;
    const { hash, ...unsigned } = row;
    if (auditRowHash(key, unsigned) !== hash) fail(row.seq, "the row's hash does not match its content");
    if (prev === null) first = row;
    else if (row.seq !== prev.seq + 1) fail(prev.seq + 1, `row ${prev.seq + 1} is missing`);
    else if (row.prevHash !== prev.hash) fail(row.seq, "prevHash is not the hash of the row before");
    lastPrune = pruneRecord(row) ?? lastPrune;
    if (anchor !== null && row.seq === anchor.seq) anchorRow = row;
    prev = row;
  }
  const start = first as AuditEvent | null;
  if (start !== null) {
    if (start.seq === 1) {
      if (start.prevHash !== GENESIS_HASH) fail(1, "the first row does not start a chain");
    } else {
      const p = lastPrune as PruneRecord | null;
      if (p === null || p.throughSeq !== start.seq - 1 || p.throughHash !== start.prevHash) {
        fail(start.seq, `rows before ${start.seq} are missing and no prune record covers them`);
      }
    }
  }
  const last = prev as AuditEvent | null;
  if (anchor !== null) {
    const lastSeq = last?.seq ?? 0;
    if (anchor.seq > lastSeq) fail(lastSeq + 1, `the anchor's head is seq ${anchor.seq}: the tail was cut`);
    else {
      const at = anchorRow as AuditEvent | null;
      if (at !== null && at.hash !== anchor.hash) fail(anchor.seq, "the row at the anchor's seq has another hash");
    }
  }
  const b = broken as { at: number; reason: string } | null;
  return {
    ok: b === null,
    rows: count,
    head: last ? { seq: last.seq, hash: last.hash } : null,
    brokenAt: b?.at ?? null,
    reason: b?.reason ?? null,
  };
}
