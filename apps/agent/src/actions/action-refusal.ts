import type { ActionResultFrame } from "@nsatlas/protocol";

/** The request id of a frame that may not even be valid, for the refusal that answers it. */
export function requestIdOf(raw: unknown): string {
  const id = (raw as { requestId?: unknown } | null)?.requestId;
  return typeof id === "string" && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : "invalid";
}

/** The answer to an action the agent did not run. */
export function refusal(requestId: string, code: string, message: string): ActionResultFrame {
  return {
    type: "action-result",
    requestId,
    status: "refused",
    command: null,
    writes: null,
    exitCode: null,
    stdout: "",
    stderr: "",
    durationMs: 0,
    error: { code, message: message.slice(0, 4096) },
  };
}
