import { createHmac } from "node:crypto";
import type { AuditEvent } from "@nsatlas/protocol";
import { canonicalJson, type JsonValue } from "./canonical-json.js";

/** Event name of a retention run; its params say which prefix went (see verifyAuditChain). */
export const PRUNE_ACTION = "audit.prune";

/** prevHash of the first row of a chain. */
export const GENESIS_HASH = "0".repeat(64);

/** The row as its HMAC covers it: every field but `hash`. */
export type UnsignedAuditEvent = Omit<AuditEvent, "hash">;

/** HMAC-SHA-256 (hex) of the RFC 8785 canonical JSON of a row without its hash. */
export function auditRowHash(key: Buffer, row: UnsignedAuditEvent): string {
  const body: JsonValue = {
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
  return createHmac("sha256", key).update(canonicalJson(body)).digest("hex");
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
  };
}
