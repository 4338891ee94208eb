import type { ActionErrorKind } from "@nsatlas/hub";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

/** HTTP status of each kind of ActionError (the REST contract of issue 6). */
export const ACTION_HTTP_STATUS: Record<ActionErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  unavailable: 503,
  timeout: 504,
};

/** The same, as tRPC codes. */
export const ACTION_TRPC_CODE: Record<ActionErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid: "BAD_REQUEST",
  forbidden: "FORBIDDEN",
  "not-found": "NOT_FOUND",
  conflict: "CONFLICT",
  unavailable: "SERVICE_UNAVAILABLE",
  timeout: "GATEWAY_TIMEOUT",
};
