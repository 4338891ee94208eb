import type { ActionResultFrame } from "./frames.js";

/** The answer to an action that did not run (refused by the agent, or by the replica that
 * should have passed it to the agent). */
export function actionRefusal(requestId: string, code: string, message: string): ActionResultFrame {
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
