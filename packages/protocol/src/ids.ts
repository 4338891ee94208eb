// Plain constants and helpers, free of zod, so that hot paths (the scan CLI) can use them
// without paying for the schema library at start-up.

export const INVENTORY_SCHEMA = "nsatlas.inventory/v1";

/** The eight namespace types of namespaces(7), in lsns order. */
export const NAMESPACE_TYPES = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"] as const;
export type NamespaceTypeName = (typeof NAMESPACE_TYPES)[number];

/** A namespace reference: `type:inode`, e.g. `net:4026531833`. */
export function namespaceId(type: NamespaceTypeName, inode: number): `${NamespaceTypeName}:${number}` {
  return `${type}:${inode}`;
}

export function isNamespaceType(value: string): value is NamespaceTypeName {
  return (NAMESPACE_TYPES as readonly string[]).includes(value);
}

/** Codes of inventory findings (`findings[].code`): stable, for scripts and fleet search. */
export const FINDING_CODES = [
  "duplicate-address",
  "leaked-stack",
  "unreadable-name",
  "shadowed-name",
  "unreachable-peer",
  "unreadable-process",
  "not-privileged",
  "unreadable-stack",
  "zombie-holder",
  "holders-unknown",
  "engine-unreachable",
] as const;
export type FindingCodeName = (typeof FINDING_CODES)[number];

/** Caps on what the agent keeps of a container's labels (engines allow far larger ones). */
export const CONTAINER_LABEL_LIMITS = { count: 64, keyBytes: 128, valueBytes: 256 } as const;
