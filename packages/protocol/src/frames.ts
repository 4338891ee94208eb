import { z } from "zod";
import { ActionTargets } from "./action-command.js";
import { Action } from "./actions.js";
import { CaptureEndFrame, CaptureStopFrame } from "./capture.js";
import { Container, Inventory } from "./inventory.js";
import { Finding, NetStack } from "./netstack.js";

/** Version of the agent <-> hub protocol carried in hello. */
export const PROTOCOL_VERSION = 1;
/** Largest frame either side accepts, after permessage-deflate decompression. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** Agents send a heartbeat this often; a host is stale after STALE_AFTER_MS without a frame. */
export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 15_000;

/** Close codes of the /agent socket (4000-4999 are for applications, RFC 6455 7.4.2). */
export const CloseCode = {
  badFrame: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  replaced: 4409,
  /** The host was removed from the fleet; its socket is closed and it shows up again when it reconnects. */
  hostRemoved: 4410,
  tooBig: 1009,
} as const;

/** What an agent id may hold: 1 to 128 letters, digits, `_ . : -` (the hub keys hosts by it). */
export const AGENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const AgentId = z.string().regex(AGENT_ID_PATTERN);

export const HelloFrame = z.object({
  type: z.literal("hello"),
  protocol: z.literal(PROTOCOL_VERSION),
  agentId: AgentId,
  hostname: z.string().max(255),
  bootId: z.string().max(64),
  version: z.string().max(64),
  readOnly: z.boolean(),
  capabilities: z.array(z.string().max(64)).max(64),
  labels: z.record(z.string().max(63), z.string().max(255)).optional(),
});

export const SnapshotFrame = z.object({
  type: z.literal("snapshot"),
  epoch: z.string().min(1).max(64),
  seq: z.number().int().nonnegative(),
  inventory: Inventory,
});

/** Changes of one keyed collection of the inventory: entries added or changed, keys removed. */
const KeyedChanges = <T extends z.ZodType, K extends z.ZodType>(item: T, key: K) =>
  z.object({ upsert: z.array(item), remove: z.array(key) }).partial();

/** What changed between two inventories. Collections travel by key (namespaces by id,
 * processes by pid, stacks by ns); the small top-level parts travel whole when they change.
 * Namespace membership (`pids` and `process` holders) is derived from processes[].ns: a
 * namespace is sent only when something else about it changed or it is new (then whole), and
 * the receiver moves the changed and removed processes between namespaces itself. */
export const InventoryChanges = z.object({
  host: Inventory.shape.host.optional(),
  namespaces: KeyedChanges(Inventory.shape.namespaces.element, z.string()).optional(),
  processes: KeyedChanges(Inventory.shape.processes.element, z.number().int()).optional(),
  warnings: z.array(z.string()).optional(),
  netstacks: KeyedChanges(NetStack, z.string()).optional(),
  findings: z.array(Finding).optional(),
  containers: KeyedChanges(Container, z.string()).optional(),
});
export type InventoryChanges = z.infer<typeof InventoryChanges>;

export const DeltaFrame = z.object({
  type: z.literal("delta"),
  epoch: z.string().min(1).max(64),
  seq: z.number().int().positive(),
  baseSeq: z.number().int().nonnegative(),
  changes: InventoryChanges,
});

export const HeartbeatFrame = z.object({ type: z.literal("heartbeat"), seq: z.number().int().nonnegative() });

/** Capability an agent advertises in hello when it executes guarded actions (never with --read-only). */
export const ACTIONS_CAPABILITY = "actions/v1";

/** Request ids of actions: the hub's audit requestId (a UUID), echoed in the result. */
const RequestId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
const OutputText = z.string().max(64 * 1024);

/** An error with a stable code, as carried in frames and REST bodies. */
export const CodedError = z.object({ code: z.string().max(64), message: z.string().max(4096) });
export type CodedError = z.infer<typeof CodedError>;

/** The answer to an `action` frame. `refused`: the agent ran nothing (read-only, failed
 * re-validation, a target that is not what the plan saw); `failed`: it ran and failed. */
export const ActionResultFrame = z.object({
  type: z.literal("action-result"),
  requestId: RequestId,
  status: z.enum(["succeeded", "failed", "refused"]),
  /** What the agent ran: the argv, or the file it wrote (after mapping its --etc-netns-dir). */
  command: z.array(z.string().max(4096)).max(64).nullable(),
  writes: z.string().max(4096).nullable(),
  exitCode: z.number().int().nullable(),
  stdout: OutputText,
  stderr: OutputText,
  durationMs: z.number().int().nonnegative(),
  error: CodedError.nullable(),
});
export type ActionResultFrame = z.infer<typeof ActionResultFrame>;

/** Frames an agent sends. */
export const AgentFrame = z.discriminatedUnion("type", [
  HelloFrame,
  SnapshotFrame,
  DeltaFrame,
  HeartbeatFrame,
  ActionResultFrame,
  CaptureEndFrame,
]);
export type AgentFrame = z.infer<typeof AgentFrame>;
export type HelloFrame = z.infer<typeof HelloFrame>;
export type SnapshotFrame = z.infer<typeof SnapshotFrame>;
export type DeltaFrame = z.infer<typeof DeltaFrame>;

export const AckFrame = z.object({ type: z.literal("ack"), epoch: z.string(), seq: z.number().int() });
export const ResyncFrame = z.object({ type: z.literal("resync"), reason: z.string() });
export const ErrorFrame = z.object({ type: z.literal("error"), code: z.string(), message: z.string() });

/** A confirmed action for the agent to re-validate and run. `command`/`writes` are what the
 * plan showed: the agent rebuilds them from `action` and `targets` and runs only an exact match. */
export const ActionFrame = z.object({
  type: z.literal("action"),
  requestId: RequestId,
  action: Action,
  targets: ActionTargets,
  command: z.array(z.string()).nullable(),
  writes: z.string().nullable(),
});
export type ActionFrame = z.infer<typeof ActionFrame>;

/** Frames the hub sends. */
export const HubFrame = z.discriminatedUnion("type", [
  AckFrame,
  ResyncFrame,
  ErrorFrame,
  ActionFrame,
  CaptureStopFrame,
]);
export type HubFrame = z.infer<typeof HubFrame>;
