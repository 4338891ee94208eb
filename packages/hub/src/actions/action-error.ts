/** How the edge should answer an ActionError (REST status, tRPC code). */
export type ActionErrorKind = "invalid" | "forbidden" | "not-found" | "conflict" | "unavailable" | "timeout";

/** A refused or failed action request, with a stable code (BAD_PARAMS, STACK_IN_USE, PLAN_USED, …). */
export class ActionError extends Error {
  constructor(
    readonly kind: ActionErrorKind,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ActionError";
  }
}
