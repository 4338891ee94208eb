import { ACTIONS_CAPABILITY } from "@nsatlas/protocol";
import type { HostRecord } from "../fleet-store.js";

/** Why a host takes no actions, whoever asks (null: it does). */
export function hostRefusal(host: HostRecord): { code: string; message: string } | null {
  if (host.readOnly) {
    return { code: "AGENT_READ_ONLY", message: `the agent of ${host.id} runs --read-only: it executes no actions` };
  }
  if (host.credential === "fleet-token") {
    return {
      code: "VIEW_ONLY_HOST",
      message: `${host.id} connected with the shared fleet token: its id is self-declared, so it is view-only (give its agent a token of its own to act on it)`,
    };
  }
  if (!host.capabilities.includes(ACTIONS_CAPABILITY)) {
    return { code: "NO_ACTION_CAPABILITY", message: `the agent of ${host.id} advertises no action capability` };
  }
  return null;
}
