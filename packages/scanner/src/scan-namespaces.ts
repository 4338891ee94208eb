// Entry point "@nsatlas/scanner/namespaces": a scan without network-stack detail, whose module
// graph leaves the netstack code out, for the CLI's `scan --no-netstacks` start-up time.
import type { Inventory } from "@nsatlas/protocol";
import { type ScanOptions, scanCore } from "./scan-core.js";

export { ProcParseError, ProcRootError } from "./errors.js";
export type { ScanOptions };

/** scan() with netstacks off: namespaces, processes, warnings and findings. */
export function scanNamespaces(options: ScanOptions): Inventory {
  return scanCore({ ...options, netstacks: false }, null);
}
