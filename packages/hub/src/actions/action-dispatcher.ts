import type { ActionFrame, ActionResultFrame } from "@nsatlas/protocol";
import { ActionError } from "./action-error.js";

/** Sends a frame to the agent of a host; false when that host has no open socket. */
export type ActionSender = (hostId: string, frame: ActionFrame) => boolean;

interface Pending {
  hostId: string;
  resolve: (r: ActionResultFrame) => void;
  reject: (e: ActionError) => void;
  timer: NodeJS.Timeout;
}

/** Most requests remembered after their timeout, to record a late answer. */
const MAX_TIMED_OUT = 1000;

/** Routes action frames to agents and their results back to the waiting request. A result is
 * accepted only from the host the action was sent to. */
export class ActionDispatcher {
  readonly #pending = new Map<string, Pending>();
  readonly #timedOut = new Map<string, string>();

  constructor(
    private readonly o: {
      send: ActionSender;
      /** An answer that came after its request timed out (the audit log records it). */
      onLate?: (requestId: string, result: ActionResultFrame) => void;
    },
  ) {}

  /** Sends the action and waits for its result. Rejects with ActionError AGENT_OFFLINE when the
   * host has no socket (or loses it meanwhile) and TIMEOUT after timeoutMs. */
  dispatch(hostId: string, frame: ActionFrame, timeoutMs: number): Promise<ActionResultFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(frame.requestId);
        this.#timedOut.set(frame.requestId, hostId);
        if (this.#timedOut.size > MAX_TIMED_OUT) this.#timedOut.delete(this.#timedOut.keys().next().value ?? "");
        reject(
          new ActionError(
            "timeout",
            "AGENT_TIMEOUT",
            `the agent of ${hostId} did not answer in ${Math.round(timeoutMs / 1000)} s`,
          ),
        );
      }, timeoutMs);
      this.#pending.set(frame.requestId, { hostId, resolve, reject, timer });
      if (!this.o.send(hostId, frame)) {
        clearTimeout(timer);
        this.#pending.delete(frame.requestId);
        reject(new ActionError("unavailable", "AGENT_OFFLINE", `the agent of ${hostId} is not connected`));
      }
    });
  }

  /** A result frame from a host's agent. */
  receive(hostId: string, result: ActionResultFrame): void {
    const p = this.#pending.get(result.requestId);
    if (p && p.hostId === hostId) {
      clearTimeout(p.timer);
      this.#pending.delete(result.requestId);
      p.resolve(result);
      return;
    }
    if (this.#timedOut.get(result.requestId) === hostId) {
      this.#timedOut.delete(result.requestId);
      this.o.onLate?.(result.requestId, result);
    }
    // Otherwise: an answer to nothing we asked this host (a forged or replayed frame): ignored.
  }

  /** The host's socket closed: its pending actions will not be answered on it. */
  hostGone(hostId: string): void {
    for (const [id, p] of this.#pending) {
      if (p.hostId !== hostId) continue;
      clearTimeout(p.timer);
      this.#pending.delete(id);
      this.#timedOut.set(id, hostId);
      p.reject(
        new ActionError("unavailable", "AGENT_OFFLINE", `the agent of ${hostId} disconnected before it answered`),
      );
    }
  }
}
