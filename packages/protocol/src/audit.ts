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
 * dir, outside the database) over the RFC 8785 canonical JSON of the row without `hash`. */
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
});
export type AuditEvent = z.infer<typeof AuditEvent>;

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
