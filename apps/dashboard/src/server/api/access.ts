import { ActionError, mayReadAudit } from "@nsatlas/hub";
import { ACTION_HTTP_STATUS } from "../action-errors.js";
import type { Principal } from "../auth.js";
import { HttpError, unauthorized } from "../http-error.js";
import type { ApiServices } from "./api-services.js";
import type { AnyOperation } from "./operation.js";

/** The one gate of every operation, REST and tRPC alike: a credential unless public; every
 * mutation through the mutation guard (auditors, agent tokens and a read-only dashboard are
 * refused with 403 and an audit row, so a new mutation is covered without a word); agent
 * tokens read nothing either; the audit log for its readers only. `what` names the call in
 * the audit row of a refusal ("POST /api/v1/hosts/{id}/actions", "trpc actions.plan"). */
export function admit(
  op: AnyOperation,
  principal: Principal | null,
  services: ApiServices,
  what: string,
  sourceIp: string | null,
): void {
  if (op.access === "public") return;
  if (!principal) throw unauthorized();
  if (op.mutates) {
    // The guard refuses (and audits) every mutation of an agent token with AGENT_TOKEN.
    const denial = services.guarded.guard.deny(principal, what, sourceIp);
    if (denial) throw new HttpError(403, denial.code, denial.message);
  }
  if (principal.role === "agent") throw new HttpError(403, "AGENT_TOKEN", "agent tokens only stream to /agent");
  if (op.access === "audit-reader" && !mayReadAudit(principal.role))
    throw new HttpError(403, "FORBIDDEN", `the ${principal.role} role cannot read the audit log`);
}

/** An error of a handler as the API answers it: an ActionError as its status and code, an
 * HttpError as itself, anything else unchanged (a 500 at the edge). */
export function asApiError(err: unknown): unknown {
  if (err instanceof ActionError) return new HttpError(ACTION_HTTP_STATUS[err.kind], err.code, err.message);
  return err;
}
