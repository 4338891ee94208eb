export { diffInventory } from "./diff.js";
export { ProcParseError, ProcRootError } from "./errors.js";
export {
  CachedMountTables,
  ListmountReader,
  MOUNT_TABLES_ENV,
  type MountTableReader,
  onNsfsMountsChange,
} from "./mount-tables.js";
export { type ScanOptions, scan, scanAsync } from "./scan.js";
