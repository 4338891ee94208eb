import type { Inventory } from "@nsatlas/protocol";
import { collectNetstackSteps } from "./netstack/collect.js";
import { type ScanOptions, scanCore, scanCoreAsync } from "./scan-core.js";

export type { ScanOptions };

/** One full scan of the namespaces visible through procRoot and netnsDir, with the detail of
 * every network stack unless options.netstacks is false. */
export function scan(options: ScanOptions): Inventory {
  return scanCore(options, collectNetstackSteps);
}

/** scan() with the /proc walk and the stack reads run as async work: the caller's event loop
 * keeps running meanwhile (what a resident agent needs). */
export function scanAsync(options: ScanOptions): Promise<Inventory> {
  return scanCoreAsync(options, collectNetstackSteps);
}
