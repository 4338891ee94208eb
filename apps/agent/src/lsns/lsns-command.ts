import { walkProcesses } from "@nsatlas/native";
import { ProcRootError, scanNamespaces } from "@nsatlas/scanner/namespaces";
import { writeOut } from "../cli/write-out.js";
import { LsnsUsageError } from "./getopt.js";
import { lsnsData } from "./lsns-cells.js";
import { columnAt, columnIndex } from "./lsns-columns.js";
import { LSNS_USAGE, LSNS_VERSION, listColumns } from "./lsns-help.js";
import { readNetnsids } from "./lsns-netnsid.js";
import { type LsnsOptions, parseLsnsArgs } from "./lsns-options.js";
import { namespacesTable, processesTable } from "./lsns-table.js";
import { filterHolders } from "./scols-filter.js";
import { printScols } from "./scols-print.js";

const PROG = "nsatlas-agent lsns";
const PROC_ROOT = "/proc";
const NETNS_DIR = "/run/netns";

/** The terminal the output goes to, as the composition root sees it. */
export interface LsnsTerminal {
  isTTY: boolean;
  /** Columns of the terminal (TIOCGWINSZ); 0 or undefined when unknown. */
  columns: number | undefined;
  /** $COLUMNS, used when the terminal does not tell its width (as libsmartcols does). */
  envColumns: string | undefined;
  /** $LC_ALL / $LC_CTYPE / $LANG, first set: box-drawing tree lines in a UTF-8 locale. */
  locale: string | undefined;
}

function termWidth(t: LsnsTerminal): number {
  if (t.columns && t.columns > 0) return t.columns;
  const env = Number(t.envColumns);
  return Number.isInteger(env) && env > 0 ? env : 80;
}

function checkFilter(o: LsnsOptions): void {
  if (!o.filter) return;
  const unknown = filterHolders(o.filter).filter((h) => columnIndex(h) < 0);
  if (unknown.length > 0)
    throw new LsnsUsageError(`${unknown.map((h) => `unknown column: ${h}`).join("\n")}\nfailed to initialize filter`);
}

function usesColumn(o: LsnsOptions, name: string): boolean {
  return (
    o.columns.some((c) => columnAt(c).name === name) ||
    (o.filter !== null && filterHolders(o.filter).some((h) => h.toUpperCase() === name))
  );
}

function list(o: LsnsOptions, term: LsnsTerminal): number {
  checkFilter(o);
  let inventory: ReturnType<typeof scanNamespaces>;
  try {
    inventory = scanNamespaces({
      procRoot: PROC_ROOT,
      netnsDir: NETNS_DIR,
      euid: process.geteuid?.() ?? -1,
      ownPid: process.pid,
      // /proc/<pid>/cgroup only says which container a process is in: read it only when asked.
      ...(usesColumn(o, "CONTAINER") || usesColumn(o, "POD")
        ? {}
        : { walk: (root, options) => walkProcesses(root, { ...options, cgroup: false }) }),
    });
  } catch (err) {
    if (err instanceof ProcRootError) {
      process.stderr.write(`${PROG}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const d = lsnsData(inventory, o.types);
  d.nsfsSeparator = o.noWrap ? "," : "\n";
  if (usesColumn(o, "NETNSID"))
    d.netnsids = readNetnsids(
      inventory,
      d.namespaces.filter((ns) => ns.type === "net"),
      PROC_ROOT,
      NETNS_DIR,
    );
  let table: ReturnType<typeof namespacesTable>;
  if (o.namespace !== null) {
    const ns = d.namespaces.find((n) => n.inode === o.namespace);
    if (!ns) throw new LsnsUsageError(`not found namespace: ${o.namespace}`);
    table = processesTable(d, o, ns);
  } else table = namespacesTable(d, o);
  writeOut(
    printScols(table, {
      json: o.json,
      raw: o.raw,
      noHeadings: o.noHeadings,
      isTerm: term.isTTY,
      termWidth: termWidth(term),
      utf8: /utf-?8/i.test(term.locale ?? ""),
    }),
  );
  return 0;
}

/** `nsatlas-agent lsns`: util-linux lsns's options and output, over nsatlas's complete scan.
 * Returns the exit code (0, or 1 on error, as lsns). */
export function runLsns(argv: readonly string[], term: LsnsTerminal): number {
  try {
    const o = parseLsnsArgs(argv);
    switch (o.action) {
      case "help":
        writeOut(LSNS_USAGE);
        return 0;
      case "version":
        writeOut(LSNS_VERSION);
        return 0;
      case "list-columns":
        writeOut(listColumns(o.raw, o.json));
        return 0;
      case "list":
        return list(o, term);
    }
  } catch (err) {
    if (!(err instanceof LsnsUsageError)) throw err;
    const lines = err.message.split("\n").map((l) => `${PROG}: ${l}\n`);
    process.stderr.write(lines.join("") + (err.tryHelp ? `Try '${PROG} --help' for more information.\n` : ""));
    return err.exitCode;
  }
}
