import type { Inventory } from "@nsatlas/protocol";
import { initialStackInventory } from "@nsatlas/test-world";

/** The smallest valid inventory: one process (`init`) in one stack. */
export function minimalInventory(): Inventory {
  const inv = initialStackInventory(1, { hostname: "sim", bootId: "boot" });
  inv.processes = inv.processes.map((p) => ({ ...p, ppid: 0, comm: "init", cmdline: ["/sbin/init"] }));
  return inv;
}
