import type { Inventory } from "@nsatlas/protocol";

/** The inventory as the UI reads it (netstacks is absent when the agent runs --no-netstacks). */
export type UiInventory = Inventory;
