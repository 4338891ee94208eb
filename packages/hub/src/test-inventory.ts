import type { Inventory, Namespace, Process } from "@nsatlas/protocol";

// Small, valid inventories for hub tests (not part of the package's build output).

export function testProcess(pid: number, net = 4026531833): Process {
  return {
    pid,
    ppid: 1,
    comm: "sleep",
    cmdline: ["sleep", String(pid)],
    uid: 0,
    user: "root",
    startTime: pid * 10,
    nspid: [pid],
    container: null,
    ns: {
      cgroup: 4026531835,
      ipc: 4026531839,
      mnt: 4026531832,
      net,
      pid: 4026531836,
      time: 4026531834,
      user: 4026531837,
      uts: 4026531838,
    },
    nsForChildren: { pid: 4026531836, time: 4026531834 },
  };
}

export function testNamespace(inode: number, pids: number[], names: string[] = []): Namespace {
  return {
    id: `net:${inode}`,
    type: "net",
    inode,
    initial: inode === 4026531833,
    names,
    pids,
    holders: pids.map((pid) => ({ kind: "process" as const, pid })),
    owner: "user:4026531837",
  };
}

export function testInventory(unsorted: number[] = [1, 2], extraStacks: Namespace[] = []): Inventory {
  // A scan lists processes by pid; so do these.
  const pids = [...unsorted].sort((a, b) => a - b);
  return {
    schema: "nsatlas.inventory/v1",
    host: {
      hostname: "h1",
      bootId: "b",
      kernel: "6.1.0",
      scannedAt: "2026-01-01T00:00:00.000Z",
      initialFrom: "pid1",
      privileged: true,
    },
    namespaces: [testNamespace(4026531833, pids), ...extraStacks],
    processes: pids.map((p) => testProcess(p)),
    warnings: [],
    findings: [],
    containers: [],
  } as Inventory;
}

/** What a newer agent may send: a zombie (state, null links), a container runtime and a
 * finding code this version does not know. Plain JSON, as it arrives before parsing. */
export function testNewerInventory(): unknown {
  const inv = testInventory([1, 2]);
  const zombie = { ...testProcess(2), state: "Z", nsForChildren: { pid: null, time: null } };
  zombie.ns = { ...zombie.ns, cgroup: null, ipc: null, mnt: null, net: null, time: null, uts: null };
  const wrapped = { ...testProcess(1), state: "S", container: { runtime: "kata-qemu", id: "c1", podUid: null } };
  return {
    ...inv,
    processes: [wrapped, zombie],
    findings: [{ code: "some-future-code", message: "a code this hub does not know", refs: [] }],
  };
}
