import { ActionFrame, ActionResultFrame, Inventory, InventoryChanges } from "@nsatlas/protocol";
import { z } from "zod";

const HostId = z.string().min(1).max(128);
const Epoch = z.string().min(1).max(64);
const Seq = z.number().int().nonnegative();

/** A host whose agent the sending replica holds, with its whole inventory (after its hello and
 * snapshot, or when another replica asks for it). */
export const HostMessage = z.object({
  t: z.literal("host"),
  host: z.object({
    id: HostId,
    hostname: z.string().max(255),
    bootId: z.string().max(64),
    agentVersion: z.string().max(64),
    readOnly: z.boolean(),
    labels: z.record(z.string().max(63), z.string().max(255)),
    capabilities: z.array(z.string().max(64)).max(64),
    credential: z.enum(["agent-token", "fleet-token", "local"]),
    connectedAt: z.number(),
  }),
  epoch: Epoch,
  seq: Seq,
  inventory: Inventory,
});

/** A delta of one host in the sending replica's sequence (`baseSeq` is the previous message's). */
export const DeltaMessage = z.object({
  t: z.literal("delta"),
  id: HostId,
  epoch: Epoch,
  baseSeq: Seq,
  seq: Seq,
  changes: InventoryChanges,
});

/** A host's state changed on the replica that holds its agent. */
export const StateMessage = z.object({ t: z.literal("state"), id: HostId, connected: z.boolean() });

/** A host was removed (on any replica): every replica forgets it; its holder closes it (4410). */
export const RemovedMessage = z.object({ t: z.literal("removed"), id: HostId });

/** Every second: the hosts the sending replica holds, with where their sequence is. A receiver
 * that lacks one or is behind asks the sender for it (anti-entropy after lost messages or a
 * NATS restart); the listed connected hosts stay connected while beats keep coming. */
export const BeatMessage = z.object({
  t: z.literal("beat"),
  hosts: z.array(z.tuple([HostId, Epoch.nullable(), Seq, z.boolean()])).max(100_000),
});

export const BusMessage = z.discriminatedUnion("t", [
  HostMessage,
  DeltaMessage,
  StateMessage,
  RemovedMessage,
  BeatMessage,
]);
export type BusMessage = z.infer<typeof BusMessage>;

/** Ask the holder of a host to send it whole (to the asker's direct subject). */
export const SyncRequest = z.object({ ids: z.array(HostId).min(1).max(1000) });

/** An action for a host whose agent the receiving replica holds; the reply is its result. */
export const ActionRequest = z.object({ hostId: HostId, frame: ActionFrame });
export const ActionReply = z.union([
  z.object({ ok: z.literal(true), result: ActionResultFrame }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type ActionReply = z.infer<typeof ActionReply>;
