import type { UiInventory } from "./inventory-types";

/** `net:<inode>` -> what a person calls that stack ("initial", its names, or "unnamed (inode)"). */
export function stackTitles(inv: UiInventory): Map<string, string> {
  return new Map(
    inv.namespaces
      .filter((n) => n.type === "net")
      .map((n) => [n.id, n.initial ? "initial" : n.names.join(", ") || `unnamed (${n.inode})`]),
  );
}

/** Rewrites `net:<inode>` references in a message as `name (net:<inode>)`. */
export function nameStacks(message: string, titles: ReadonlyMap<string, string>): string {
  return message.replace(/net:\d+/g, (id) => {
    const t = titles.get(id);
    return t ? `${t} (${id})` : id;
  });
}
