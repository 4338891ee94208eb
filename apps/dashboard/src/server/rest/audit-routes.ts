import { Readable } from "node:stream";
import { type AuditStorage, auditExportChunks, mayReadAudit, yieldToEventLoop } from "@nsatlas/hub";
import type { AuditVerification } from "@nsatlas/protocol";
import type { Principal } from "../auth.js";
import { HttpError, unauthorized } from "./http-error.js";
import { choiceParam, intParam } from "./query-params.js";
import { RestResponse, type Route } from "./router.js";

/** Admins and auditors read the audit log; others get 403. */
export function requireAuditReader(principal: Principal | null): Principal {
  if (!principal) throw unauthorized();
  if (!mayReadAudit(principal.role))
    throw new HttpError(403, "FORBIDDEN", `the ${principal.role} role cannot read the audit log`);
  return principal;
}

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

/** `GET /api/v1/audit?since=SEQ&limit=N` (since exclusive, limit ≤ 1000), its export as JSON or
 * CSV, a verification of the chain against the data dir's anchor, and the checkpoint key. */
export function auditRoutes(audit: AuditStorage, verify: () => Promise<AuditVerification>): Route[] {
  return [
    {
      method: "GET",
      path: "/api/v1/audit",
      handle: ({ principal, query }) => {
        requireAuditReader(principal);
        const since = intParam(query, "since", 0, 0, Number.MAX_SAFE_INTEGER);
        const limit = intParam(query, "limit", 100, 1, 1000);
        return { events: audit.list(since, limit) };
      },
    },
    {
      method: "GET",
      path: "/api/v1/audit/export",
      handle: ({ principal, query }) => {
        requireAuditReader(principal);
        const format = choiceParam(query, "format", ["json", "csv"] as const, "json");
        const stamp = new Date().toISOString().replaceAll(":", "-");
        const type = format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        return new RestResponse(
          200,
          { "content-type": type, "content-disposition": `attachment; filename="nsatlas-audit-${stamp}.${format}"` },
          exportStream(audit, format),
        );
      },
    },
    {
      method: "GET",
      path: "/api/v1/audit/verify",
      handle: ({ principal }) => {
        requireAuditReader(principal);
        return verify();
      },
    },
    {
      method: "GET",
      path: "/api/v1/audit/public-key",
      handle: ({ principal }) => {
        requireAuditReader(principal);
        const key = audit.publicKey();
        if (!key) throw new HttpError(404, "NO_SIGNING_KEY", "this audit log signs no checkpoints");
        return key;
      },
    },
  ];
}
