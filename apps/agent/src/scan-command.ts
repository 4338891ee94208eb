import { ProcRootError, scanNamespaces } from "@nsatlas/scanner/namespaces";
import { renderFindings, renderNamespaceTable } from "./cli/ns-table.js";
import { parseScanArgs, SCAN_USAGE, type ScanCliOptions } from "./cli/scan-options.js";
import { filterInventory } from "./cli/type-filter.js";
import { writeOut } from "./cli/write-out.js";

/** `nsatlas-agent scan`: one scan, printed as JSON or as a table (or, with --watch, the
 * inventory and then every delta as NDJSON). Returns the exit code. */
export function runScan(argv: readonly string[]): number | Promise<number> {
  const opts = parseScanArgs(argv);
  if (opts.help) {
    writeOut(SCAN_USAGE);
    return 0;
  }
  // Stack detail is code of its own, loaded only when wanted: --no-netstacks loads none of it.
  if (!opts.netstacks) return scanAndPrint(opts, scanNamespaces);
  return import("@nsatlas/scanner").then(({ scan }) => scanAndPrint(opts, scan));
}

async function scanAndPrint(opts: ScanCliOptions, scanWith: typeof scanNamespaces): Promise<number> {
  // Engines are asked while the kernel scan runs; their clients load only for sockets that exist.
  const { AgentEngines, DEFAULT_TIMING, SCAN_ENGINE_TIMING } = await import("./engines/agent-engines.js");
  const engineChanged = { listener: () => {} };
  const engines = new AgentEngines(
    opts,
    () => engineChanged.listener(),
    opts.watch,
    opts.watch ? DEFAULT_TIMING : SCAN_ENGINE_TIMING,
  );
  const kernel = () =>
    scanWith({
      procRoot: opts.procRoot,
      netnsDir: opts.netnsDir,
      euid: process.geteuid?.() ?? -1,
      ownPid: process.pid,
      netstacks: opts.netstacks,
    });
  // The last kernel scan, kept unjoined: an engine event re-joins it without a rescan.
  let raw: ReturnType<typeof scanWith> | null = null;
  const scanOnce = () => {
    raw = kernel();
    return engines.joinCopy(raw);
  };
  let inventory: ReturnType<typeof scanWith>;
  try {
    raw = kernel();
    // Engines settle by their own timeouts; the cap also covers loading their clients.
    await engines.settled(SCAN_ENGINE_TIMING.timeoutMs + 2_000);
    inventory = engines.joinCopy(raw);
  } catch (err) {
    engines.stop();
    if (err instanceof ProcRootError) {
      process.stderr.write(`nsatlas-agent: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  // --watch needs the diff and the scan loop: loaded only then, like stack detail.
  if (opts.watch)
    return import("./watch-command.js").then((w) =>
      w.watchScan(opts, scanOnce, inventory, (replace) => {
        engineChanged.listener = () => {
          if (raw) replace(engines.joinCopy(raw));
        };
      }),
    );
  engines.stop();
  inventory = filterInventory(inventory, opts.types);
  if (opts.json) {
    writeOut(`${opts.pretty ? JSON.stringify(inventory, null, 2) : JSON.stringify(inventory)}\n`);
  } else {
    if (!writeOut(`${renderNamespaceTable(inventory, inventory.namespaces)}\n`)) return 0;
    for (const w of inventory.warnings) process.stderr.write(`warning: ${w}\n`);
    // For a person at a terminal only: piped output stays the table alone (--json has them all).
    if (opts.findings && process.stdout.isTTY) writeOut(`\n${renderFindings(inventory, inventory.findings)}\n`);
  }
  return 0;
}
