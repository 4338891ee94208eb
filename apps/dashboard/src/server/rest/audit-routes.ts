import { type AuditLog, auditCsv, mayReadAudit } from "@nsatlas/hub";
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

/** `GET /api/v1/audit?since=SEQ&limit=N` (since exclusive, limit ≤ 1000), its export as JSON or
 * CSV, and a verification of the chain against the data dir's anchor. */
export function auditRoutes(audit: AuditLog, verify: () => AuditVerification): Route[] {
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
        const disposition = { "content-disposition": `attachment; filename="nsatlas-audit-${stamp}.${format}"` };
        if (format === "csv") {
          return new RestResponse(
            200,
            { "content-type": "text/csv; charset=utf-8", ...disposition },
            auditCsv(audit.all()),
          );
        }
        return new RestResponse(
          200,
          { "content-type": "application/json; charset=utf-8", ...disposition },
          { events: [...audit.all()] },
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
  ];
}
