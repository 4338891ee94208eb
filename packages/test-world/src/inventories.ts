import type { Inventory, Process } from "@nsatlas/protocol";

// Small, valid inventories for tests and benchmarks that speak the protocol without a scan.

/** The initial stack's inode in these inventories. */
export const SAMPLE_INITIAL_NET = 4026531833;
const SAMPLE_INITIAL_USER = 4026531837;

/** A process (`sleep`) in the initial namespaces; `over` changes any field. */
export function sampleProcess(pid: number, over: Partial<Process> = {}): Process {
  return {
    pid,
    ppid: 1,
    comm: "sleep",
    cmdline: ["sleep", "infinity"],
    uid: 0,
    user: "root",
    startTime: pid,
    nspid: [pid],
    container: null,
    ns: { cgroup: 1, ipc: 2, mnt: 3, net: SAMPLE_INITIAL_NET, pid: 5, time: 6, user: SAMPLE_INITIAL_USER, uts: 8 },
    nsForChildren: { pid: 5, time: 6 },
    ...over,
  };
}

type InventoryParts = Partial<Omit<Inventory, "host">> & { host?: Partial<Inventory["host"]> };

/** A valid inventory of what `parts` gives (no namespaces, processes, findings otherwise). */
export function sampleInventory(parts: InventoryParts = {}): Inventory {
  const { host, ...rest } = parts;
  return {
    schema: "nsatlas.inventory/v1",
    host: {
      hostname: "h",
      bootId: "b",
      kernel: "6.1.0",
      scannedAt: new Date(0).toISOString(),
      initialFrom: "pid1",
      privileged: true,
      ...host,
    },
    namespaces: [],
    processes: [],
    warnings: [],
    findings: [],
    containers: [],
    ...rest,
  };
}

/** n processes (pids 1..n) sharing the initial stack, scanned now. */
export function initialStackInventory(n: number, host: Partial<Inventory["host"]> = {}): Inventory {
  const pids = Array.from({ length: n }, (_, i) => i + 1);
  return sampleInventory({
    host: { scannedAt: new Date().toISOString(), ...host },
    namespaces: [
      {
        id: `net:${SAMPLE_INITIAL_NET}`,
        type: "net",
        inode: SAMPLE_INITIAL_NET,
        initial: true,
        names: [],
        pids,
        holders: pids.map((pid) => ({ kind: "process" as const, pid })),
        owner: `user:${SAMPLE_INITIAL_USER}`,
      },
    ],
    processes: pids.map((pid) => sampleProcess(pid)),
  });
}
