import { type AuditSink, type Denial, mutationDenial, settle } from "@nsatlas/hub";
import type { Principal } from "./auth.js";

/** Agent tokens stream to /agent and change nothing through the API. */
export type GuardDenial = Denial | { code: "AGENT_TOKEN"; message: string };

export interface MutationGuard {
  /** Why this principal may not change anything (the refusal is recorded), or null. */
  deny(principal: Principal, what: string, sourceIp: string | null): GuardDenial | null;
  readonly readOnly: boolean;
}

/** The server-side gate of every mutation, REST and tRPC alike: auditors, agent tokens and a
 * read-only dashboard are refused, and each refusal is an audit row. The UI only mirrors it. */
export function createMutationGuard(
  audit: AuditSink,
  readOnly: boolean,
  onError: (err: Error) => void = (err) => process.emitWarning(err.message, "AuditLog"),
): MutationGuard {
  return {
    readOnly,
    deny(principal, what, sourceIp) {
      const denial: GuardDenial | null =
        principal.role === "agent"
          ? { code: "AGENT_TOKEN", message: "agent tokens only stream to /agent" }
          : mutationDenial(principal.role, readOnly);
      if (denial) {
        const row = audit.append({
          actor: principal.name,
          role: principal.role,
          sourceIp,
          action: what,
          result: "denied",
          error: `${denial.code}: ${denial.message}`,
        });
        settle(row, onError);
      }
      return denial;
    },
  };
}
