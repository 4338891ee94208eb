import { namespaceNames } from "@nsatlas/protocol/stack-name";
import type { UiInventory } from "./inventory-types";

/** `net:<inode>` -> what a person calls that stack, by the one resolver the agent CLI uses too
 * ("initial", its netns name, its pod, its containers, compose service, pin, or "unnamed (pid N …)"). */
export function stackTitles(inv: UiInventory): Map<string, string> {
  return namespaceNames({ ...inv, namespaces: inv.namespaces.filter((n) => n.type === "net") });
}

/** Rewrites `net:<inode>` references in a message as `name (net:<inode>)`. */
export function nameStacks(message: string, titles: ReadonlyMap<string, string>): string {
  return message.replace(/net:\d+/g, (id) => {
    const t = titles.get(id);
    return t ? `${t} (${id})` : id;
  });
}
