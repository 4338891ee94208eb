import { writeSync } from "node:fs";
import { ProcRootError, scan } from "@nsatlas/scanner";
import { renderNamespaceTable } from "./cli/ns-table.js";
import { parseScanArgs, SCAN_USAGE } from "./cli/scan-options.js";

/** Writes all of text to fd 1 even when stdout is a pipe (process.stdout may be async). */
function writeOut(text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (err) {
      // EAGAIN on a non-blocking pipe: the reader is slow; try again.
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
    }
  }
}

/** `nsatlas-agent scan`: one scan, printed as JSON or as a table. Returns the exit code. */
export function runScan(argv: readonly string[]): number {
  const opts = parseScanArgs(argv);
  if (opts.help) {
    writeOut(SCAN_USAGE);
    return 0;
  }
  let inventory: ReturnType<typeof scan>;
  try {
    inventory = scan({
      procRoot: opts.procRoot,
      netnsDir: opts.netnsDir,
      euid: process.geteuid?.() ?? -1,
      ownPid: process.pid,
    });
  } catch (err) {
    if (err instanceof ProcRootError) {
      process.stderr.write(`nsatlas-agent: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const types = opts.types;
  if (types) inventory.namespaces = inventory.namespaces.filter((ns) => types.includes(ns.type));
  if (opts.json) {
    writeOut(`${JSON.stringify(inventory)}\n`);
  } else {
    writeOut(`${renderNamespaceTable(inventory, inventory.namespaces)}\n`);
    for (const w of inventory.warnings) process.stderr.write(`warning: ${w}\n`);
  }
  return 0;
}
