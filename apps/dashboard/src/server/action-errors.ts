import type { ActionErrorKind } from "@nsatlas/hub";

/** HTTP status of each kind of ActionError (the REST contract; tRPC answers the same status's
 * code, see `trpc/init.ts`). */
export const ACTION_HTTP_STATUS: Record<ActionErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  unavailable: 503,
  timeout: 504,
};
