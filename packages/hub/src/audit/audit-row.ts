import { createHash, createHmac } from "node:crypto";
import type { AuditEvent } from "@nsatlas/protocol";
import type { AuditAnchor } from "./audit-files.js";
import { canonicalJson, type JsonValue } from "./canonical-json.js";

/** Event name of a retention run; its params say which prefix went (see verifyAuditChain). */
export const PRUNE_ACTION = "audit.prune";

/** prevHash of the first row of a chain, and the digest "before" it. */
export const GENESIS_HASH = "0".repeat(64);

/** The row as its HMAC covers it: every field but `hash` (and `digest`, which comes after). */
export type UnsignedAuditEvent = Omit<AuditEvent, "hash" | "digest"> & { digest?: string };

/** The fields of a row the HMAC covers, as canonical JSON input. */
function hmacBody(row: UnsignedAuditEvent): { [key: string]: JsonValue } {
  return {
    seq: row.seq,
    ts: row.ts,
    actor: row.actor,
    role: row.role,
    sourceIp: row.sourceIp,
    requestId: row.requestId,
    action: row.action,
    target: { host: row.target.host, namespace: row.target.namespace, name: row.target.name },
    params: (row.params ?? null) as JsonValue,
    planHash: row.planHash,
    result: row.result,
    error: row.error,
    prevHash: row.prevHash,
  };
}

/** HMAC-SHA-256 (hex) of the RFC 8785 canonical JSON of a row without its hash. */
export function auditRowHash(key: Buffer, row: UnsignedAuditEvent): string {
  return createHmac("sha256", key)
    .update(canonicalJson(hmacBody(row)))
    .digest("hex");
}

/** The keyless chain: SHA-256 (hex) of the previous digest's 32 bytes followed by the RFC 8785
 * canonical JSON of the row without `digest` (its HMAC `hash` included). Anyone can recompute
 * it from an export; only a signed checkpoint makes it binding. */
export function auditRowDigest(prevDigest: string, row: UnsignedAuditEvent & { hash: string }): string {
  const body = canonicalJson({ ...hmacBody(row), hash: row.hash });
  return createHash("sha256").update(Buffer.from(prevDigest, "hex")).update(body).digest("hex");
}

/** A row as SQLite stores it. */
export interface AuditDbRow {
  seq: number;
  ts: string;
  actor: string;
  role: string | null;
  source_ip: string | null;
  request_id: string | null;
  action: string;
  target_host: string | null;
  target_ns: string | null;
  target_name: string | null;
  params: string;
  plan_hash: string | null;
  result: string;
  error: string | null;
  prev_hash: string;
  hash: string;
  /** NULL only between the schema upgrade that added it and the backfill in the same step. */
  digest: string | null;
}

/** A stored row back as an event. Params that are not JSON (a hand-edited row) stay a string,
 * which then fails verification instead of crashing it. */
export function fromDbRow(r: AuditDbRow): AuditEvent {
  let params: unknown;
  try {
    params = JSON.parse(r.params);
  } catch {
    params = r.params;
  }
  return {
    seq: r.seq,
    ts: r.ts,
    actor: r.actor,
    role: r.role,
    sourceIp: r.source_ip,
    requestId: r.request_id,
    action: r.action,
    target: { host: r.target_host, namespace: r.target_ns, name: r.target_name },
    params,
    planHash: r.plan_hash,
    result: r.result,
    error: r.error,
    prevHash: r.prev_hash,
    hash: r.hash,
    digest: r.digest ?? "",
  };
}

/** What a caller says about an event; the log adds seq, ts, prevHash and hash. */
export interface AuditInput {
  actor: string;
  role?: string | null;
  sourceIp?: string | null;
  requestId?: string | null;
  action: string;
  target?: Partial<AuditEvent["target"]>;
  params?: JsonValue;
  planHash?: string | null;
  result: string;
  error?: string | null;
}

/** The row after `head` (null: the first of a chain), hashed with `key` and digested. The
 * caller holds the log's write lock from reading `head` until the row is stored. */
export function nextAuditEvent(
  key: Buffer,
  head: (AuditAnchor & { digest: string }) | null,
  e: AuditInput,
  now: Date,
): AuditEvent {
  const unsigned = {
    seq: (head?.seq ?? 0) + 1,
    ts: now.toISOString(),
    actor: e.actor,
    role: e.role ?? null,
    sourceIp: e.sourceIp ?? null,
    requestId: e.requestId ?? null,
    action: e.action,
    target: { host: e.target?.host ?? null, namespace: e.target?.namespace ?? null, name: e.target?.name ?? null },
    params: e.params ?? {},
    planHash: e.planHash ?? null,
    result: e.result,
    error: e.error ?? null,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const signed = { ...unsigned, hash: auditRowHash(key, unsigned) };
  return { ...signed, digest: auditRowDigest(head?.digest ?? GENESIS_HASH, signed) };
}

/** The audit table's columns, in the order auditInsertValues gives them. */
export const AUDIT_INSERT_COLUMNS = [
  "seq",
  "ts",
  "actor",
  "role",
  "source_ip",
  "request_id",
  "action",
  "target_host",
  "target_ns",
  "target_name",
  "params",
  "plan_hash",
  "result",
  "error",
  "prev_hash",
  "hash",
  "digest",
] as const;

/** A new event as the values of one INSERT (params as canonical JSON). */
export function auditInsertValues(e: AuditEvent): (string | number | null)[] {
  return auditRowCells(e, canonicalJson((e.params ?? {}) as JsonValue));
}

/** An event's fields in AUDIT_INSERT_COLUMNS order (also the export's CSV columns), with
 * params as the given text. */
export function auditRowCells(e: AuditEvent, params: string): (string | number | null)[] {
  return [
    e.seq,
    e.ts,
    e.actor,
    e.role,
    e.sourceIp,
    e.requestId,
    e.action,
    e.target.host,
    e.target.namespace,
    e.target.name,
    params,
    e.planHash,
    e.result,
    e.error,
    e.prevHash,
    e.hash,
    e.digest,
  ];
}
