import { z } from "zod";

/** Every REST error body: `{"error": {"code", "message"}}`. */
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const HostSummary = z.object({
  id: z.string(),
  hostname: z.string(),
  /** The agent's socket is open and its last frame is under 15 s old. */
  connected: z.boolean(),
  state: z.enum(["connected", "stale"]),
  lastSeen: z.string().datetime(),
  readOnly: z.boolean(),
  agentVersion: z.string(),
  /** How the agent authenticated: its own token, the shared fleet token (view-only), or local. */
  credential: z.enum(["agent-token", "fleet-token", "local"]),
  labels: z.record(z.string(), z.string()),
  kernel: z.string().nullable(),
  counts: z.object({ namespaces: z.number().int(), processes: z.number().int(), stacks: z.number().int() }),
});
export type HostSummary = z.infer<typeof HostSummary>;

export const HostsResponse = z.object({ hosts: z.array(HostSummary) });
export type HostsResponse = z.infer<typeof HostsResponse>;
