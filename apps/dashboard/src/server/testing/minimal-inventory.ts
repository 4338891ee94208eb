import type { Inventory } from "@nsatlas/protocol";

/** The smallest valid inventory: one process in one stack. */
export function minimalInventory(): Inventory {
  return {
    schema: "nsatlas.inventory/v1",
    host: {
      hostname: "sim",
      bootId: "boot",
      kernel: "6.1.0",
      scannedAt: new Date().toISOString(),
      initialFrom: "pid1",
      privileged: true,
    },
    namespaces: [
      {
        id: "net:4026531833",
        type: "net",
        inode: 4026531833,
        initial: true,
        names: [],
        pids: [1],
        holders: [{ kind: "process", pid: 1 }],
        owner: "user:4026531837",
      },
    ],
    processes: [
      {
        pid: 1,
        ppid: 0,
        comm: "init",
        cmdline: ["/sbin/init"],
        uid: 0,
        user: "root",
        startTime: 1,
        nspid: [1],
        container: null,
        ns: {
          cgroup: 1,
          ipc: 2,
          mnt: 3,
          net: 4026531833,
          pid: 5,
          time: 6,
          user: 4026531837,
          uts: 8,
        },
        nsForChildren: { pid: 5, time: 6 },
      },
    ],
    warnings: [],
    findings: [],
    containers: [],
  } as Inventory;
}
