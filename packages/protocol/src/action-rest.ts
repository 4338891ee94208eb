import { z } from "zod";
import { CaptureRef } from "./capture.js";
import { CodedError } from "./frames.js";

/** A process that lives in a stack an action touches. */
export const ImpactProcess = z.object({ pid: z.number().int(), comm: z.string(), command: z.string() });

/** What a plan says will happen, computed from the host's current inventory. */
export const ActionImpact = z.object({
  /** The stacks the action works in (`net:<inode>`), when they exist. */
  stacks: z.array(z.string()),
  /** Processes inside the stack(s) the action changes. */
  processes: z.array(ImpactProcess),
  /** Links that move to another stack, or vanish (`to: null`). */
  links: z.array(z.object({ name: z.string(), kind: z.string(), from: z.string(), to: z.string().nullable() })),
  /** Addresses, peers and sockets that stop being reachable, and why. */
  unreachable: z.array(z.object({ what: z.string(), why: z.string() })),
  notes: z.array(z.string()),
  /** Set when the action may cut the host's own connectivity (a link of the initial stack goes
   * down, moves out, or loses an address): the plan's confirm word is then the host name. */
  warning: z.string().optional(),
  /** A netns.file.write's change as a unified diff of the file (from /dev/null when new). */
  diff: z.string().optional(),
});
export type ActionImpact = z.infer<typeof ActionImpact>;

/** Answer of `POST /api/v1/hosts/{id}/actions`: a dry run to confirm with the `confirm` text. */
export const PlanResponse = z.object({
  planId: z.string(),
  summary: z.string(),
  /** The exact iproute2 argv the agent will run; null for the netns.file.* actions. */
  command: z.array(z.string()).nullable(),
  /** The file a netns.file.* action writes or deletes; null otherwise. */
  writes: z.string().nullable(),
  impact: ActionImpact,
  /** What the user must type to confirm: the name of the stack or link the action is about. */
  confirm: z.string(),
  expiresAt: z.string().datetime(),
  hostId: z.string(),
  type: z.string(),
  /** SHA-256 of the plan (hex), also written to the audit log with the request and its outcome. */
  planHash: z.string(),
});
export type PlanResponse = z.infer<typeof PlanResponse>;

export const ConfirmRequest = z.object({ confirm: z.string().max(256) });

/** One stack after an action, as the hub sees it once the agent reported back. */
export const StackState = z.object({
  id: z.string(),
  names: z.array(z.string()),
  links: z.array(z.object({ name: z.string(), kind: z.string(), state: z.string(), addresses: z.array(z.string()) })),
});
export type StackState = z.infer<typeof StackState>;

export const ActionOutcome = z.object({
  requestId: z.string(),
  command: z.array(z.string()).nullable(),
  writes: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  durationMs: z.number().int(),
  /** The stacks the action touched, after it ran. */
  stacks: z.array(StackState),
  /** capture.start: the capture that now runs (the confirm does not wait for it to end). */
  capture: CaptureRef.optional(),
});
export type ActionOutcome = z.infer<typeof ActionOutcome>;

/** Answer of `POST /api/v1/actions/{planId}/confirm`. */
export const ConfirmResponse = z.object({
  status: z.enum(["succeeded", "failed"]),
  result: ActionOutcome.nullable(),
  error: CodedError.nullable(),
});
export type ConfirmResponse = z.infer<typeof ConfirmResponse>;

/** Whether the caller may act on a host, and if not, why (the UI says it; the server enforces it). */
export const ActionPolicy = z.object({ mayAct: z.boolean(), reason: z.string().nullable() });
export type ActionPolicy = z.infer<typeof ActionPolicy>;
