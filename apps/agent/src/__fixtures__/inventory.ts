import type { Finding, Inventory, Namespace, Process } from "@nsatlas/protocol";
import { sampleInventory } from "@nsatlas/test-world";

// Small hand-made inventories for the CLI's unit tests.

/** A process; its namespaces are `ns` over small fake inodes 10..17. */
export function fixtureProcess(pid: number, ppid: number, cmdline: string[], ns: Partial<Process["ns"]> = {}): Process {
  const all = { cgroup: 10, ipc: 11, mnt: 12, net: 13, pid: 14, time: 15, user: 16, uts: 17, ...ns };
  return {
    pid,
    ppid,
    comm: cmdline[0] ?? `kworker/${pid}`,
    cmdline,
    uid: 0,
    user: "root",
    startTime: pid,
    nspid: [pid],
    container: null,
    ns: all,
    nsForChildren: { pid: all.pid, time: all.time },
  };
}

export function fixtureInventory(namespaces: Namespace[], processes: Process[], findings: Finding[] = []): Inventory {
  return sampleInventory({ host: { kernel: "k" }, namespaces, processes, findings });
}
