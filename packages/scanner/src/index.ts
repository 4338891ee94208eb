export { diffInventory } from "./diff.js";
export { ProcParseError, ProcRootError } from "./errors.js";
export { type ScanOptions, scan } from "./scan.js";
