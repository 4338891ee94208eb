import { Readable } from "node:stream";
import { type AuditStorage, auditExportChunks, yieldToEventLoop } from "@nsatlas/hub";
import { AuditEvent, AuditPublicKey, AuditResponse, AuditVerification } from "@nsatlas/protocol";
import { z } from "zod";
import { HttpError } from "../../http-error.js";
import { defineOperation } from "../operation.js";
import { choiceParam, intParam } from "../query-params.js";
import { RestResponse } from "../rest-response.js";

const Limit = z.number().int().min(1).max(1000);
const readers = { 403: "not an admin or auditor" } as const;

/** The export as a stream: a page of rows per chunk, read only when the client takes the
 * previous one (backpressure), the event loop free between pages. */
function exportStream(audit: AuditStorage, format: "json" | "csv"): Readable {
  async function* chunks(): AsyncGenerator<string> {
    for await (const chunk of auditExportChunks(audit.pages(100), format)) {
      yield chunk;
      await yieldToEventLoop();
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
}

export const listAudit = defineOperation({
  id: "audit.list",
  summary: "List audit rows",
  description: "Audit rows after `since` (exclusive), oldest first.",
  access: "audit-reader",
  mutates: false,
  trpc: true,
  input: z.object({ since: z.number().int().nonnegative().default(0), limit: Limit.default(100) }),
  output: AuditResponse,
  handle: async ({ services, input }) => ({ events: await services.guarded.audit.list(input.since, input.limit) }),
  rest: {
    method: "GET",
    path: "/api/v1/audit",
    answers: "rows",
    query: {
      since: { description: "a seq (exclusive; default 0)", schema: z.number().int().min(0) },
      limit: { description: "at most this many (default 100)", schema: Limit },
    },
    errors: { 400: "bad since or limit", ...readers },
    input: ({ query }) => ({
      since: intParam(query, "since", 0, 0, Number.MAX_SAFE_INTEGER),
      limit: intParam(query, "limit", 100, 1, 1000),
    }),
  },
});

export const latestAudit = defineOperation({
  id: "audit.latest",
  summary: "The newest audit rows",
  description: "The newest rows, newest first (what the audit view opens with).",
  access: "audit-reader",
  mutates: false,
  trpc: true,
  input: z.object({ limit: Limit }),
  output: z.array(AuditEvent),
  handle: async ({ services: { guarded }, input }) => {
    const head = (await guarded.audit.head())?.seq ?? 0;
    return (await guarded.audit.list(Math.max(0, head - input.limit), input.limit)).reverse();
  },
});

export const exportAudit = defineOperation({
  id: "audit.export",
  summary: "Export the audit log",
  description: "Every row, streamed (CSV cells that a spreadsheet would run as a formula start with a quote).",
  access: "audit-reader",
  mutates: false,
  trpc: false,
  input: z.object({ format: z.enum(["json", "csv"]) }),
  output: AuditResponse,
  handle: ({ services, input: { format } }) => {
    const stamp = new Date().toISOString().replaceAll(":", "-");
    const type = format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    return new RestResponse(
      200,
      { "content-type": type, "content-disposition": `attachment; filename="nsatlas-audit-${stamp}.${format}"` },
      exportStream(services.guarded.audit, format),
    );
  },
  rest: {
    method: "GET",
    path: "/api/v1/audit/export",
    answers: "every row, as a file to download",
    headers: { "Content-Disposition": 'attachment; filename="nsatlas-audit-<time>.json|csv"' },
    query: { format: { description: "json (default) or csv", schema: z.enum(["json", "csv"]) } },
    media: { other: ["text/csv"] },
    errors: { 400: "bad format", ...readers },
    input: ({ query }) => ({ format: choiceParam(query, "format", ["json", "csv"] as const, "json") }),
  },
});

export const verifyAudit = defineOperation({
  id: "audit.verify",
  summary: "Verify the audit chain",
  description: "Verifies the hash chain (and the data dir's anchor), as `nsatlas audit verify` does.",
  access: "audit-reader",
  mutates: false,
  trpc: true,
  input: z.void(),
  output: AuditVerification,
  handle: ({ services }) => services.guarded.verifyAudit(),
  rest: {
    method: "GET",
    path: "/api/v1/audit/verify",
    answers: "the verdict",
    errors: readers,
    input: () => undefined,
  },
});

export const auditPublicKey = defineOperation({
  id: "audit.publicKey",
  summary: "The audit checkpoint key",
  description:
    "The Ed25519 public key that signs the audit chain's checkpoints (for `nsatlas audit verify --bundle FILE --public-key PEM`).",
  access: "audit-reader",
  mutates: false,
  trpc: false,
  input: z.void(),
  output: AuditPublicKey,
  handle: ({ services }) => {
    const key = services.guarded.audit.publicKey();
    if (!key) throw new HttpError(404, "NO_SIGNING_KEY", "this audit log signs no checkpoints");
    return key;
  },
  rest: {
    method: "GET",
    path: "/api/v1/audit/public-key",
    answers: "the key (SPKI PEM), its id and fingerprint",
    errors: { ...readers, 404: "this audit log signs no checkpoints (NO_SIGNING_KEY)" },
    input: () => undefined,
  },
});

export const auditOperations = [listAudit, latestAudit, exportAudit, verifyAudit, auditPublicKey];
