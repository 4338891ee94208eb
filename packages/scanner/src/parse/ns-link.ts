import type { NamespaceType } from "@nsatlas/protocol";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";

/** Parses a namespace link target such as `net:[4026531833]` (readlink of /proc/<pid>/ns/net,
 * or an nsfs mount root in mountinfo). Returns null for anything else. */
export function parseNsLink(link: string): { type: NamespaceType; inode: number } | null {
  const m = /^([a-z]+):\[([0-9]+)\]$/.exec(link);
  if (!m) return null;
  const type = m[1] as NamespaceType;
  const inode = Number(m[2]);
  if (!NAMESPACE_TYPES.includes(type) || !Number.isSafeInteger(inode)) return null;
  return { type, inode };
}
