import type { ScolsColumnSpec } from "./scols-print.js";

/** One output column: lsns's header, width hint and flags (as it hands them to libsmartcols). */
export interface LsnsColumn extends ScolsColumnSpec {
  help: string;
  /** nsatlas's own column, not one of lsns's. */
  extra: boolean;
}

function col(
  name: string,
  whint: number,
  flags: { right?: boolean; trunc?: boolean; wrap?: boolean; number?: boolean; extra?: boolean },
  help: string,
): LsnsColumn {
  return {
    name,
    whint,
    right: flags.right ?? false,
    trunc: flags.trunc ?? false,
    wrap: flags.wrap ?? false,
    json: flags.number ? "number" : "string",
    help,
    extra: flags.extra ?? false,
  };
}

/** lsns's columns in its order, then nsatlas's. */
export const LSNS_COLUMNS: readonly LsnsColumn[] = [
  col("NS", 10, { right: true, number: true }, "namespace identifier (inode number)"),
  col("TYPE", 5, {}, "kind of namespace"),
  col("PATH", 0, {}, "path to the namespace"),
  col("NPROCS", 5, { right: true, number: true }, "number of processes in the namespace"),
  col("PID", 5, { right: true, number: true }, "lowest PID in the namespace"),
  col("PPID", 5, { right: true, number: true }, "PPID of the PID"),
  col("COMMAND", 0, { trunc: true }, "command line of the PID"),
  col("UID", 0, { right: true, number: true }, "UID of the PID"),
  col("USER", 0, {}, "username of the PID"),
  col("NETNSID", 0, { right: true }, "namespace ID as used by network subsystem"),
  col("NSFS", 0, { wrap: true }, "nsfs mountpoint (usually used network subsystem)"),
  col("PNS", 10, { right: true, number: true }, "parent namespace identifier (inode number)"),
  col("ONS", 10, { right: true, number: true }, "owner namespace identifier (inode number)"),
  col("HOLDERS", 0, { extra: true }, "what keeps the namespace alive (processes, threads, fds, sockets, mounts)"),
  col("NAME", 0, { extra: true }, "name of the namespace (netns name, pin path, or its first process)"),
  col("CONTAINER", 0, { extra: true }, "container of the PID (runtime:id)"),
  col("POD", 0, { extra: true }, "pod UID of the PID"),
  col("STATE", 0, { extra: true }, "process state of the PID (Z when only zombies hold it)"),
  col("FINDINGS", 0, { trunc: true, extra: true }, "codes of the findings about the namespace"),
];

/** Index of a column name, matched without regard to case as lsns does; -1 if unknown. */
export function columnIndex(name: string): number {
  const upper = name.toUpperCase();
  return LSNS_COLUMNS.findIndex((c) => c.name === upper);
}

export function columnAt(index: number): LsnsColumn {
  const c = LSNS_COLUMNS[index];
  if (!c) throw new RangeError(`no column ${index}`);
  return c;
}

/** The 13 columns of util-linux lsns, as --output-all lists them. */
export const LSNS_OWN_COLUMN_COUNT = 13;
