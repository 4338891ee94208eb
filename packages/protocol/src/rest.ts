import { z } from "zod";

/** Every REST error body: `{"error": {"code", "message"}}`. */
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A host is connected while its socket is open and its last frame is under 15 s old, else stale. */
export const HostState = z.enum(["connected", "stale"]);
export type HostState = z.infer<typeof HostState>;

export const HostSummary = z.object({
  id: z.string(),
  hostname: z.string(),
  /** The agent's socket is open and its last frame is under 15 s old. */
  connected: z.boolean(),
  state: HostState,
  lastSeen: z.string().datetime(),
  readOnly: z.boolean(),
  agentVersion: z.string(),
  /** How the agent authenticated: its own token, the shared fleet token (view-only), or local. */
  credential: z.enum(["agent-token", "fleet-token", "local"]),
  labels: z.record(z.string(), z.string()),
  kernel: z.string().nullable(),
  /** How far the hub's view trails the agent: ms from the agent's scan of the current
   * inventory to the hub applying it (includes any clock skew); null before a snapshot. */
  lagMs: z.number().int().nullable(),
  counts: z.object({
    namespaces: z.number().int(),
    processes: z.number().int(),
    stacks: z.number().int(),
    /** Findings of the latest inventory (leaked stacks, duplicate addresses, …). */
    findings: z.number().int(),
  }),
});
export type HostSummary = z.infer<typeof HostSummary>;

export const HostsResponse = z.object({ hosts: z.array(HostSummary) });
export type HostsResponse = z.infer<typeof HostsResponse>;

/** What a fleet search hit is. */
export const MatchKind = z.enum([
  "stack-name",
  "address",
  "port",
  "interface",
  "process",
  "pid",
  "inode",
  "finding",
  "container",
  "pod",
  "image",
]);
export type MatchKind = z.infer<typeof MatchKind>;

/** One hit of the fleet search (`GET /api/v1/search?q=…`); see searchFleet in @nsatlas/hub. */
export const SearchMatch = z.object({
  hostId: z.string(),
  hostname: z.string(),
  /** The network stack the match belongs to (`net:<inode>` and a display name), if any. */
  stack: z.object({ id: z.string(), name: z.string() }).nullable(),
  kind: MatchKind,
  /** What matched, as shown to a person: "10.0.0.1/24 on eth0", "tcp 0.0.0.0:22", "pid 523 sleep 60". */
  text: z.string(),
  pid: z.number().int().optional(),
  /** Container, pod and image matches: the container (a pod match names one of its containers). */
  container: z.object({ id: z.string(), name: z.string().nullable() }).optional(),
  /** Address matches: the other hosts that have the same address (information, not an error). */
  alsoOn: z.array(z.string()).optional(),
});
export type SearchMatch = z.infer<typeof SearchMatch>;

export const SearchResponse = z.object({ matches: z.array(SearchMatch) });
export type SearchResponse = z.infer<typeof SearchResponse>;
