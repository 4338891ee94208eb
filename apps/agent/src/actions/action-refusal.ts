/** The request id of a frame that may not even be valid, for the refusal that answers it. */
export function requestIdOf(raw: unknown): string {
  const id = (raw as { requestId?: unknown } | null)?.requestId;
  return typeof id === "string" && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : "invalid";
}

/** The answer to an action the agent did not run. */
export { actionRefusal as refusal } from "@nsatlas/protocol";
