import { z } from "zod";

/** What an audit row is about. */
export const AuditTarget = z.object({
  host: z.string().nullable(),
  /** `type:inode` of the namespace, when known. */
  namespace: z.string().nullable(),
  /** The stack, link or token name. */
  name: z.string().nullable(),
});
export type AuditTarget = z.infer<typeof AuditTarget>;

/** One row of the append-only, hash-chained audit log. `hash` is HMAC-SHA-256 (key in the data
 * dir, outside the database) over the RFC 8785 canonical JSON of the row without `hash` and
 * `digest`; `digest` is the keyless chain anyone can recompute: SHA-256 of the previous row's
 * digest (32 bytes; 32 zero bytes before the first row) followed by the RFC 8785 canonical JSON
 * of the row without `digest`. */
export const AuditEvent = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  actor: z.string(),
  role: z.string().nullable(),
  sourceIp: z.string().nullable(),
  requestId: z.string().nullable(),
  /** What was done or attempted: an action type (`netns.create`) or an event (`session.login`). */
  action: z.string(),
  target: AuditTarget,
  params: z.unknown(),
  planHash: z.string().nullable(),
  /** planned | requested | succeeded | failed | refused | timeout | late | denied | invalid | ok */
  result: z.string(),
  error: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
  digest: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** A signed statement of the chain's head: Ed25519 over the RFC 8785 canonical JSON of
 * `{keyId, seq, ts, digest}` (signature base64). */
export const AuditCheckpoint = z.object({
  keyId: z.string(),
  seq: z.number().int().positive(),
  ts: z.string(),
  digest: z.string(),
  signature: z.string(),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

/** `GET /api/v1/audit/public-key`: the key checkpoints are signed with (SPKI PEM). */
export const AuditPublicKey = z.object({
  keyId: z.string(),
  algorithm: z.literal("Ed25519"),
  publicKey: z.string(),
  /** `SHA256:` and the base64 (no padding) SHA-256 of the key's DER (SPKI) form. */
  fingerprint: z.string(),
});
export type AuditPublicKey = z.infer<typeof AuditPublicKey>;

export const AUDIT_BUNDLE_SCHEMA = "nsatlas.audit-bundle/v1";

/** `nsatlas audit export --bundle FILE`: what an auditor verifies offline. */
export const AuditBundle = z.object({
  schema: z.literal(AUDIT_BUNDLE_SCHEMA),
  publicKeys: z.array(AuditPublicKey),
  rows: z.array(AuditEvent),
  checkpoints: z.array(AuditCheckpoint),
});
export type AuditBundle = z.infer<typeof AuditBundle>;

export const AuditResponse = z.object({ events: z.array(AuditEvent) });

/** `nsatlas audit verify` and `GET /api/v1/audit/verify`. */
export const AuditVerification = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  /** The first seq where the chain is broken. */
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
