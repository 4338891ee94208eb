import type { Role } from "../token-store.js";

/** Roles that may change anything: admin and operator. Auditors see everything and change
 * nothing; agent tokens only stream. */
export const ACTING_ROLES: readonly Role[] = ["admin", "operator"];
/** Roles that may read the audit log (and the auditor report, which contains it). */
export const AUDIT_READING_ROLES: readonly Role[] = ["admin", "auditor"];

export interface Denial {
  code: "READ_ONLY_DASHBOARD" | "ROLE_READ_ONLY";
  message: string;
}

/** Why a principal may not change anything, or null when it may. */
export function mutationDenial(role: Role, dashboardReadOnly: boolean): Denial | null {
  if (dashboardReadOnly) {
    return {
      code: "READ_ONLY_DASHBOARD",
      message: "this dashboard runs read-only (NSATLAS_READ_ONLY): nothing can be changed",
    };
  }
  if (!ACTING_ROLES.includes(role)) {
    return { code: "ROLE_READ_ONLY", message: `the ${role} role changes nothing (admin and operator may act)` };
  }
  return null;
}

export const mayReadAudit = (role: Role) => AUDIT_READING_ROLES.includes(role);
