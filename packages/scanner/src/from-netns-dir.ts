import { readdirSync } from "node:fs";
import type { NsFacts } from "@nsatlas/native";
import type { NamespaceTable } from "./namespace-table.js";

/** Opens a path and asks nsfs what it is (see hierarchy.ts); throws with an errno `code`. */
export type DescribeNamespace = (path: string) => NsFacts[];

export interface NetnsDirResult {
  /** Entries that were not (or not yet) nsfs mounts, for a second look at the end of the scan. */
  pending: string[];
  warnings: string[];
}

/** Joins every entry of the netns dir (/run/netns, which /var/run/netns points to) to its
 * namespace by opening it: a named stack is listed even with no process inside. */
export function fromNetnsDir(netnsDir: string, table: NamespaceTable, describe: DescribeNamespace): NetnsDirResult {
  const result: NetnsDirResult = { pending: [], warnings: [] };
  let names: string[];
  try {
    names = readdirSync(netnsDir).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // No netns dir simply means no named stack has been created since boot.
    if (code !== "ENOENT") result.warnings.push(`netns dir ${netnsDir}: ${code ?? err}`);
    return result;
  }
  for (const name of names) {
    const outcome = nameEntry(netnsDir, name, table, describe);
    if (outcome === "pending") result.pending.push(name);
    else if (outcome !== null) result.warnings.push(outcome);
  }
  return result;
}

/** Second look at entries that were plain files: `ip netns add` creates the file a moment
 * before it bind-mounts the namespace onto it. What is still not nsfs is a warning. */
export function recheckNetnsDir(
  netnsDir: string,
  pending: readonly string[],
  table: NamespaceTable,
  describe: DescribeNamespace,
): string[] {
  const warnings: string[] = [];
  for (const name of pending) {
    const outcome = nameEntry(netnsDir, name, table, describe);
    if (outcome === "pending")
      warnings.push(`netns dir entry ${name}: not an nsfs mount (being created, or a stale file)`);
    else if (outcome !== null) warnings.push(outcome);
  }
  return warnings;
}

function nameEntry(
  netnsDir: string,
  name: string,
  table: NamespaceTable,
  describe: DescribeNamespace,
): "pending" | string | null {
  const path = `${netnsDir}/${name}`;
  let facts: NsFacts | undefined;
  try {
    facts = describe(path)[0];
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTTY: the nsfs ioctl does not apply, so this is an ordinary file, not a mounted netns.
    if (code === "ENOTTY" || code === "EINVAL") return "pending";
    // The entry vanished between readdir and open: `ip netns del` ran meanwhile.
    if (code === "ENOENT") return null;
    return `netns dir entry ${name}: cannot open (${code ?? err})`;
  }
  if (!facts) return `netns dir entry ${name}: no namespace facts`;
  if (facts.type !== "net") return `netns dir entry ${name}: is a ${facts.type} namespace, not net`;
  const entry = table.ensure("net", facts.inode, path);
  if (!entry.names.includes(name)) entry.names.push(name);
  return null;
}
