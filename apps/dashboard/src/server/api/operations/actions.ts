import { Action, ActionPolicy, ConfirmRequest, ConfirmResponse, PlanResponse } from "@nsatlas/protocol";
import { z } from "zod";
import { unauthorized } from "../../http-error.js";
import { requestMeta } from "../../request-meta.js";
import { type Call, defineOperation } from "../operation.js";
import { readJsonBody } from "../rest-response.js";

/** A file write carries up to 64 KiB, which JSON escaping can make several times larger. */
const MAX_ACTION_BODY = 512 * 1024;
const HostId = z.string().min(1).max(128);

/** Who asks, from where, under a fresh request id; `admit` let only a principal through. */
export function meta(call: Call<unknown>) {
  if (!call.principal) throw unauthorized();
  return requestMeta(call.req, call.principal);
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export const actionPolicy = defineOperation({
  id: "actions.policy",
  summary: "May the caller act",
  description:
    "Whether the caller may act on this host (or at all, with hostId null) and why not: the UI hides its controls and says why; the server enforces it regardless.",
  access: "user",
  mutates: false,
  trpc: true,
  input: z.object({ hostId: HostId.nullable() }),
  output: ActionPolicy,
  handle: ({ services, input, principal }) => {
    if (!principal) throw unauthorized();
    return services.guarded.actions.policy(principal.role, input.hostId);
  },
});

export const planAction = defineOperation({
  id: "actions.plan",
  summary: "Plan a guarded action",
  description:
    "Plans a guarded action (a server-side dry run): the exact iproute2 argv (or the file written), the impact, and the text to type to confirm. Nothing runs until it is confirmed.",
  access: "user",
  mutates: true,
  trpc: true,
  // The action service parses the action itself: its refusals are audit rows with their codes.
  input: z.object({ hostId: z.string(), action: z.unknown() }),
  output: PlanResponse,
  handle: (call) => call.services.guarded.actions.plan(meta(call), call.input.hostId, call.input.action),
  rest: {
    method: "POST",
    path: "/api/v1/hosts/{id}/actions",
    answers: "the plan",
    body: Action,
    errors: {
      400: "invalid type or params (the name grammar: stack names [A-Za-z0-9_.-]{1,64}, not starting with '.', not all digits, not 'initial'; links 1-15), or not JSON",
      403: "role (auditor, agent), read-only dashboard, read-only agent or view-only (fleet-token) host",
      404: "no such host, stack, link, address or file",
      409: "the host's state refuses it (name taken, processes inside, link exists, …)",
      413: "body over 512 KiB",
      503: "the host's agent is not connected",
    },
    input: async ({ req, params }) => ({ hostId: params.id ?? "", action: await readJsonBody(req, MAX_ACTION_BODY) }),
  },
});

export const confirmAction = defineOperation({
  id: "actions.confirm",
  summary: "Confirm and run a plan",
  description:
    "Confirms a plan of the caller with the typed name and runs it on the host's agent (single-use; the plan expires after NSATLAS_PLAN_TTL).",
  access: "user",
  mutates: true,
  trpc: true,
  // The action service checks the text itself: a refused confirm is an audit row.
  input: z.object({ planId: z.string(), confirm: z.unknown() }),
  output: ConfirmResponse,
  handle: (call) =>
    call.services.guarded.actions.confirm(meta(call), call.input.planId, { confirm: call.input.confirm }),
  rest: {
    method: "POST",
    path: "/api/v1/actions/{planId}/confirm",
    answers: "the outcome: succeeded or failed, with the agent's result",
    body: ConfirmRequest,
    errors: {
      400: "wrong confirmation text (the plan is kept), or not JSON",
      403: "role or read-only",
      404: "no such plan, or another user's",
      409: "the plan was used, expired, or the host changed since",
      413: "body over 4 KiB",
      503: "the host's agent is offline",
      504: (o) => `the agent did not answer within NSATLAS_ACTION_TIMEOUT (${seconds(o.actionTimeoutMs)} here)`,
    },
    input: async ({ req, params }) => {
      const body = await readJsonBody(req, 4096);
      const confirm = typeof body === "object" && body !== null ? (body as { confirm?: unknown }).confirm : undefined;
      return { planId: params.planId ?? "", confirm };
    },
  },
});

export const actionOperations = [actionPolicy, planAction, confirmAction];
