import type { Inventory } from "@nsatlas/protocol";
import { collectNetstacks } from "./netstack/collect.js";
import { type ScanOptions, scanCore } from "./scan-core.js";

export type { ScanOptions };

/** One full scan of the namespaces visible through procRoot and netnsDir, with the detail of
 * every network stack unless options.netstacks is false. */
export function scan(options: ScanOptions): Inventory {
  return scanCore(options, collectNetstacks);
}
