import { z } from "zod";
import { AuditCheckpoint, AuditEvent } from "./audit.js";

/** The kinds of things whose appearing and disappearing the hub records per host. `name` (a
 * name given to a stack) is an extension of the four. */
export const HISTORY_KINDS = ["namespace", "stack", "name", "link", "address"] as const;
export const HistoryKind = z.enum(HISTORY_KINDS);
export type HistoryKind = z.infer<typeof HistoryKind>;

/** One appearance or disappearance. */
export const HistoryEvent = z.object({
  at: z.string().datetime(),
  change: z.enum(["appeared", "disappeared"]),
  kind: HistoryKind,
  /** Stable identity within the host: `net:…`, `net:…|link|3|eth0`, … */
  key: z.string(),
  /** The namespace the item belongs to (for a namespace: itself). */
  ns: z.string().nullable(),
  /** A short human label: "stack blue", "link veth0 (veth)", "10.0.0.1/24 on veth0". */
  label: z.string(),
});
export type HistoryEvent = z.infer<typeof HistoryEvent>;

export const HistoryResponse = z.object({
  hostId: z.string(),
  from: z.string().datetime(),
  to: z.string().datetime(),
  events: z.array(HistoryEvent),
  /** More events than the limit fell in the window. */
  truncated: z.boolean(),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

const Since = z.string().datetime();

/** A host's namespaces, stacks, links and addresses as they were at one time (from history). */
export const InventoryAt = z.object({
  schema: z.literal("nsatlas.inventory-at/v1"),
  hostId: z.string(),
  at: z.string().datetime(),
  namespaces: z.array(
    z.object({ id: z.string(), type: z.string(), initial: z.boolean(), names: z.array(z.string()), since: Since }),
  ),
  stacks: z.array(
    z.object({
      ns: z.string(),
      names: z.array(z.string()),
      since: Since,
      links: z.array(
        z.object({
          ifindex: z.number().int(),
          name: z.string(),
          kind: z.string(),
          since: Since,
          addresses: z.array(z.object({ address: z.string(), since: Since })),
        }),
      ),
    }),
  ),
});
export type InventoryAt = z.infer<typeof InventoryAt>;

/** What differs between two times: items alive at `to` but not at `from`, and the reverse. */
export const HistoryDiff = z.object({
  from: z.string().datetime(),
  to: z.string().datetime(),
  appeared: z.array(z.object({ kind: HistoryKind, key: z.string(), ns: z.string().nullable(), label: z.string() })),
  disappeared: z.array(z.object({ kind: HistoryKind, key: z.string(), ns: z.string().nullable(), label: z.string() })),
});
export type HistoryDiff = z.infer<typeof HistoryDiff>;

/** The auditor report of one host for a time window. */
export const HostReport = z.object({
  hostId: z.string(),
  from: z.string().datetime(),
  to: z.string().datetime(),
  generatedAt: z.string().datetime(),
  inventoryAtStart: InventoryAt,
  changes: z.array(HistoryEvent),
  actions: z.array(AuditEvent),
  /** The signed checkpoint of the audit chain when the report was made (null: no rows yet). */
  checkpoint: AuditCheckpoint.nullable(),
});
export type HostReport = z.infer<typeof HostReport>;
