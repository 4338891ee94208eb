import type { KeyObject } from "node:crypto";
import { AUDIT_BUNDLE_SCHEMA, AuditBundle, type AuditPublicKey, type AuditVerification } from "@nsatlas/protocol";
import type { Db } from "../database.js";
import { type AuditAnchor, AuditFileError } from "./audit-files.js";
import { auditCheckpoints, auditPages } from "./audit-pages.js";
import { publicKeyInfo } from "./audit-signing.js";
import { AuditChainCheck, checkCheckpoints, type ProvenThrough } from "./audit-verify.js";

/** Writes `nsatlas.audit-bundle/v1` (the public keys, every row, every checkpoint) as JSON text
 * through `write`, a page of rows at a time: the whole log is never one string in memory. */
export function writeAuditBundle(db: Db, publicKeys: AuditPublicKey[], write: (chunk: string) => void): void {
  write(`{"schema":${JSON.stringify(AUDIT_BUNDLE_SCHEMA)},"publicKeys":${JSON.stringify(publicKeys)},"rows":[`);
  let lastSeq = 0;
  for (const page of auditPages(db)) {
    const text = page.map((r) => JSON.stringify(r)).join(",\n");
    write(lastSeq === 0 ? `\n${text}` : `,\n${text}`);
    lastSeq = page.at(-1)?.seq ?? lastSeq;
  }
  // A checkpoint signed while the rows were written may name rows after the exported ones.
  const checkpoints = auditCheckpoints(db).filter((c) => c.seq <= lastSeq);
  write(`\n],"checkpoints":${JSON.stringify(checkpoints)}}\n`);
}

/** A bundle's verdict: the chain's, and how far a checkpoint of the trusted key proves it. */
export interface BundleVerification extends AuditVerification {
  key: AuditPublicKey;
  /** The newest checkpoint of the key that matches the rows: the log is proven up to its seq. */
  proven: ProvenThrough | null;
  /** Rows after `proven` (or all, without one): consistent, but no signature covers them. */
  unproven: number;
  /** Checkpoints signed by another key, or of rows pruned before the bundle's first row. */
  ignoredCheckpoints: number;
}

/** Parses a bundle's JSON text; AuditFileError when it is not one. */
export function parseAuditBundle(text: string): AuditBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuditFileError("the bundle is not JSON");
  }
  const r = AuditBundle.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AuditFileError(
      `not an ${AUDIT_BUNDLE_SCHEMA} document: ${issue?.path.join(".") || "(top)"}: ${issue?.message}`,
    );
  }
  return r.data;
}

/** Verifies a bundle with nothing but the auditor's copy of the public key: the keyless digest
 * chain of the rows (order, gaps, content), each checkpoint's signature, that each checkpoint's
 * digest is the one the rows give at its seq, and (given a copied anchor) that the anchor's row
 * is there with its hash and digest. The HMAC cannot be checked here. */
export function verifyAuditBundle(
  bundle: AuditBundle,
  publicKey: KeyObject,
  /** A copy of the data dir's anchor kept elsewhere: its row must be in the bundle, unchanged. */
  anchor: AuditAnchor | null = null,
): BundleVerification {
  const key = publicKeyInfo(publicKey);
  const mine = bundle.checkpoints.filter((c) => c.keyId === key.keyId);
  const check = new AuditChainCheck(null, anchor, new Set(mine.map((c) => c.seq)));
  for (const row of bundle.rows) check.add(row);
  const lastSeq = bundle.rows.at(-1)?.seq ?? 0;
  const firstSeq = bundle.rows[0]?.seq ?? 1;
  const { proven, ignored: pruned } = checkCheckpoints(check, mine, publicKey);
  const ignored = bundle.checkpoints.length - mine.length + pruned;
  const chain = check.finish();
  if (chain.ok && proven === null && bundle.rows.length > 0) {
    return {
      ...chain,
      ok: false,
      reason: `no checkpoint signed by key ${key.keyId} covers these rows: nothing is proven`,
      key,
      proven,
      unproven: bundle.rows.length,
      ignoredCheckpoints: ignored,
    };
  }
  return {
    ...chain,
    key,
    proven: chain.ok ? proven : null,
    unproven: chain.ok ? lastSeq - (proven?.seq ?? firstSeq - 1) : 0,
    ignoredCheckpoints: ignored,
  };
}
