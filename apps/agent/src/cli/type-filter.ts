import type { Inventory, InventoryChanges, NamespaceType } from "@nsatlas/protocol";

/** The inventory with only namespaces of these types (`--type`); processes stay whole. */
export function filterInventory(inv: Inventory, types: readonly NamespaceType[] | null): Inventory {
  if (!types) return inv;
  return { ...inv, namespaces: inv.namespaces.filter((ns) => types.includes(ns.type)) };
}

/** A delta with only namespace changes of these types (ids are `type:inode`); null when
 * nothing is left of it. */
export function filterChanges(
  changes: InventoryChanges,
  types: readonly NamespaceType[] | null,
): InventoryChanges | null {
  const ns = changes.namespaces;
  if (!types || !ns) return changes;
  const upsert = (ns.upsert ?? []).filter((n) => types.includes(n.type));
  const remove = (ns.remove ?? []).filter((id) => types.some((t) => id.startsWith(`${t}:`)));
  const { namespaces: _dropped, ...rest } = changes;
  const kept: InventoryChanges = { ...rest };
  if (upsert.length > 0 || remove.length > 0)
    kept.namespaces = { ...(upsert.length > 0 ? { upsert } : {}), ...(remove.length > 0 ? { remove } : {}) };
  return Object.keys(kept).length > 0 ? kept : null;
}
