import type { Inventory } from "@nsatlas/protocol";
import type { ScanCliOptions } from "./cli/scan-options.js";
import { filterChanges, filterInventory } from "./cli/type-filter.js";
import { kernelProcessEvents } from "./run/kernel-process-events.js";
import { ScanLoop } from "./run/scan-loop.js";

/** `nsatlas-agent scan --watch`: the inventory, then every delta, as NDJSON on stdout. */
export function watchScan(
  opts: ScanCliOptions,
  scanOnce: () => Inventory,
  first: Inventory,
  /** Receives the function that takes an inventory re-joined after an engine event. */
  onEngineChange: (replace: (next: Inventory) => void) => void,
): Promise<number> {
  return new Promise((resolve) => {
    let seq = 0;
    const print = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
    let initial: Inventory | null = first;
    const loop = new ScanLoop({
      // The first scan was already made (and failed loudly if the proc root is unreadable).
      scanOnce: () => {
        const inv = initial ?? scanOnce();
        initial = null;
        return inv;
      },
      procRoot: opts.procRoot,
      netnsDir: opts.netnsDir,
      intervalMs: opts.intervalMs,
      fullEveryMs: opts.fullEveryMs,
      onChange: (all) => {
        // --type: namespaces of other types are left out of deltas as of the snapshot.
        const changes = filterChanges(all, opts.types);
        if (changes === null) return;
        seq += 1;
        print({ type: "delta", seq, baseSeq: seq - 1, changes });
      },
      onError: (err) => process.stderr.write(`nsatlas-agent: scan failed: ${(err as Error).message}\n`),
      processEvents: kernelProcessEvents,
    });
    print({ type: "snapshot", seq, inventory: filterInventory(loop.current(), opts.types) });
    onEngineChange((next) => loop.replace(next));
    loop.start();
    const stop = () => {
      loop.stop();
      resolve(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.stdout.on("error", stop); // the reader went away (EPIPE)
  });
}
