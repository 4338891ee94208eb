import { z } from "zod";
import type { StackTarget } from "./action-command.js";
import type { CaptureStartParams } from "./actions.js";

// Packet capture: the action's params, the frames that carry a capture between agent and hub,
// the argv of the capture program, and what the REST API says about a capture.

/** Why a capture ended. */
export const CaptureStopReason = z.enum([
  "maxSeconds",
  "maxBytes",
  "maxPackets",
  "stopped",
  "agent-disconnect",
  "hub-restart",
  "hub-disk-limit",
  "vanished",
  "failed",
]);
export type CaptureStopReason = z.infer<typeof CaptureStopReason>;

const CaptureId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

/** Agent → hub: the capture ended (dumpcap exited); the counts are what the agent sent. */
export const CaptureEndFrame = z.object({
  type: z.literal("capture-end"),
  captureId: CaptureId,
  reason: CaptureStopReason,
  packets: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** The kernel's drop count (PACKET_STATISTICS tp_drops, from dumpcap's statistics block). */
  drops: z.number().int().nonnegative().nullable(),
  /** What the agent excluded (its own uplink and the dashboard's port), or null. */
  excluded: z.string().max(1024).nullable(),
  error: z.string().max(4096).nullable(),
});
export type CaptureEndFrame = z.infer<typeof CaptureEndFrame>;

/** Hub → agent: stop a capture now (a user, a hub limit). */
export const CaptureStopFrame = z.object({
  type: z.literal("capture-stop"),
  captureId: CaptureId,
  reason: CaptureStopReason,
});
export type CaptureStopFrame = z.infer<typeof CaptureStopFrame>;

/** First byte of a binary capture-data frame (a JSON frame never starts with it). */
export const CAPTURE_DATA_TAG = 0x01;
/** Largest pcapng payload of one data frame. */
export const MAX_CAPTURE_CHUNK = 256 * 1024;

/** A binary frame: tag, id length, the id (ASCII), then whole pcapng blocks. */
export function encodeCaptureData(captureId: string, pcapng: Uint8Array): Uint8Array {
  const id = new TextEncoder().encode(captureId);
  const out = new Uint8Array(2 + id.length + pcapng.length);
  out[0] = CAPTURE_DATA_TAG;
  out[1] = id.length;
  out.set(id, 2);
  out.set(pcapng, 2 + id.length);
  return out;
}

/** The id and payload of a binary capture-data frame; null when it is not one. */
export function decodeCaptureData(frame: Uint8Array): { captureId: string; pcapng: Uint8Array } | null {
  if (frame.length < 3 || frame[0] !== CAPTURE_DATA_TAG) return null;
  const n = frame[1] ?? 0;
  if (n < 1 || n > 64 || frame.length < 2 + n) return null;
  const captureId = new TextDecoder().decode(frame.subarray(2, 2 + n));
  if (!CaptureId.safeParse(captureId).success) return null;
  return { captureId, pcapng: frame.subarray(2 + n) };
}

/** The capture program. dumpcap (Wireshark's capture engine) writes pcapng to stdout, ends
 * with an interface-statistics block that carries the kernel's drop count, and drops its
 * privileges to nothing it needs beyond the capture socket it already opened. */
export const CAPTURE_PROGRAM = "dumpcap";

/** How the agent enters a stack for a capture: `nsenter --net=PATH` (setns(2) in the child
 * only: the agent itself never leaves its own stack). */
export function captureStackPath(t: StackTarget): string | null {
  if (t.via === "initial") return null;
  return t.via === "name" ? `/run/netns/${t.name}` : t.path;
}

/** The kernel ring of a capture, in MiB (dumpcap's -B; its default is 2): a burst waits there
 * while dumpcap or the uplink catch up, instead of being dropped (tp_drops). */
export const CAPTURE_RING_MIB = 32;

/** The exact argv of a capture, from its params, its target and the filter that runs. */
export function captureArgv(p: CaptureStartParams, t: StackTarget, filter: string): string[] {
  const path = captureStackPath(t);
  return [
    ...(path === null ? [] : ["nsenter", `--net=${path}`]),
    CAPTURE_PROGRAM,
    "-q",
    ...["-i", p.link ?? "any"],
    ...(filter === "" ? [] : ["-f", filter]),
    ...["-s", String(p.snaplen)],
    ...["-B", String(CAPTURE_RING_MIB)],
    ...["-a", `duration:${p.maxSeconds}`],
    ...(p.maxPackets === null ? [] : ["-c", String(p.maxPackets)]),
    ...["-w", "-"],
  ];
}

/** The filter with what the agent must not capture of its own traffic: its uplink (by its
 * local address and port) and the dashboard's port, so nobody reads session cookies. */
export function filterWithExclusions(filter: string, exclusion: string | null): string {
  if (exclusion === null) return filter;
  return filter === "" ? `not (${exclusion})` : `(${filter}) and not (${exclusion})`;
}

/** One capture as `GET /api/v1/captures` lists it. */
export const CaptureSummary = z.object({
  id: z.string(),
  hostId: z.string(),
  stack: z.string(),
  ns: z.string().nullable(),
  link: z.string().nullable(),
  filter: z.string(),
  excluded: z.string().nullable(),
  limits: z.object({
    snaplen: z.number(),
    maxSeconds: z.number(),
    maxBytes: z.number(),
    maxPackets: z.number().nullable(),
  }),
  startedBy: z.object({ name: z.string(), role: z.string() }),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  state: z.enum(["running", "stopped", "failed"]),
  stopReason: CaptureStopReason.nullable(),
  packets: z.number().int(),
  bytes: z.number().int(),
  drops: z.number().int().nullable(),
  error: z.string().nullable(),
  url: z.string(),
});
export type CaptureSummary = z.infer<typeof CaptureSummary>;

/** `result.capture` of a confirmed capture.start. */
export const CaptureRef = z.object({ id: z.string(), url: z.string() });
export type CaptureRef = z.infer<typeof CaptureRef>;

/** The URL of a capture's pcapng. */
export const captureUrl = (id: string) => `/api/v1/captures/${id}.pcapng`;
