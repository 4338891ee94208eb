// The agent diffs scans with the one change codec of the protocol.
export { diffInventory } from "@nsatlas/protocol/change-codec";
export { ProcParseError, ProcRootError } from "./errors.js";
export {
  CachedMountTables,
  ListmountReader,
  MOUNT_TABLES_ENV,
  type MountTableReader,
  onNsfsMountsChange,
} from "./mount-tables.js";
export { type ScanOptions, scan, scanAsync } from "./scan.js";
