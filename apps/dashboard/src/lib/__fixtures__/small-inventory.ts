import type { Inventory, Namespace, Process } from "@nsatlas/protocol";

const INIT = { cgroup: 1, ipc: 2, mnt: 3, net: 100, pid: 5, time: 6, user: 7, uts: 8 };

function proc(pid: number, comm: string, over: Partial<Process["ns"]> = {}, extra: Partial<Process> = {}): Process {
  return {
    pid,
    ppid: 1,
    comm,
    cmdline: [comm, String(pid)],
    uid: 0,
    user: "root",
    startTime: pid,
    nspid: [pid],
    container: null,
    ns: { ...INIT, ...over },
    nsForChildren: { pid: over.pid ?? INIT.pid, time: INIT.time },
    ...extra,
  };
}

function ns(type: Namespace["type"], inode: number, pids: number[], extra: Partial<Namespace> = {}): Namespace {
  return {
    id: `${type}:${inode}`,
    type,
    inode,
    initial: inode < 100 || inode === 100,
    names: [],
    pids,
    holders: pids.map((pid) => ({ kind: "process" as const, pid })),
    owner: type === "user" && inode === 7 ? null : "user:7",
    ...extra,
  };
}

/** A link as the agent reports it: UP, no addresses, no wiring, unless `extra` says otherwise. */
export const link = (ifindex: number, name: string, kind: string, extra = {}) => ({
  ifindex,
  name,
  kind,
  state: "UP",
  flags: ["UP"],
  mtu: 1500,
  mac: null,
  master: null,
  linkNs: null,
  addresses: [],
  peer: null,
  tunOwners: [],
  ...extra,
});

/** Initial stack (pids 2, 10, 11), "blue" (20, 21, kept also by a pin), an unnamed one held
 * by an fd; a veth initial<->blue, a bridge in blue, a tun owned by 21; a user ns tree. */
export const DOCKER_A = {
  runtime: "docker",
  id: "a".repeat(64),
  podUid: null,
  engine: null,
  name: null,
  image: null,
  pod: null,
  compose: null,
} as const;

export function smallInventory(): Inventory {
  const processes = [
    proc(2, "kthreadd", {}, { cmdline: [], ppid: 0 }),
    proc(10, "sshd"),
    proc(11, "kworker/0:1", {}, { cmdline: [], ppid: 2 }),
    proc(20, "nginx", { net: 200 }, { container: DOCKER_A }),
    proc(21, "nginx", { net: 200, user: 70 }, { container: DOCKER_A }),
  ];
  return {
    schema: "nsatlas.inventory/v1",
    host: {
      hostname: "h",
      bootId: "b",
      kernel: "6.1",
      scannedAt: "2026-01-01T00:00:00.000Z",
      initialFrom: "pid1",
      privileged: true,
    },
    namespaces: [
      ns("net", 100, [2, 10, 11], { initial: true }),
      ns("net", 200, [20, 21], {
        initial: false,
        names: ["blue"],
        holders: [
          { kind: "process", pid: 20 },
          { kind: "process", pid: 21 },
          { kind: "bindmount", path: "/run/netns/blue" },
        ],
      }),
      ns("net", 300, [], { initial: false, holders: [{ kind: "fd", pid: 10, fd: 5 }] }),
      ns("user", 7, [2, 10, 11, 20], { initial: true, parent: null, ownerUid: 0 }),
      ns("user", 70, [21], { initial: false, parent: "user:7", ownerUid: 1000 }),
      ns("user", 71, [], { initial: false, parent: "user:70", ownerUid: 1000 }),
    ],
    processes,
    warnings: [],
    containers: [],
    findings: [
      { code: "leaked-stack", ns: "net:300", message: "net:300 is alive with no process and no name", refs: [] },
    ],
    netstacks: [
      {
        ns: "net:100",
        links: [
          link(1, "lo", "loopback"),
          link(5, "veth0", "veth", {
            peer: { ns: "net:200", ifindex: 2, name: "eth0" },
            linkNs: "net:200",
            addresses: [{ family: "inet", address: "10.0.0.1", prefixlen: 24, scope: "global" }],
          }),
        ],
        routes: [],
        listening: [{ proto: "tcp", address: "0.0.0.0", port: 22, pids: [10] }],
        files: {},
      },
      {
        ns: "net:200",
        links: [
          link(2, "eth0", "veth", {
            peer: { ns: "net:100", ifindex: 5, name: "veth0" },
            linkNs: "net:100",
            master: "br0",
          }),
          link(3, "br0", "bridge", {
            addresses: [{ family: "inet", address: "10.0.0.2", prefixlen: 24, scope: "global" }],
          }),
          link(4, "tun0", "tun", { tunOwners: [21] }),
        ],
        routes: [],
        listening: [{ proto: "tcp", address: "10.0.0.2", port: 80, pids: [20] }],
        files: { "resolv.conf": "nameserver 10.0.0.53\n" },
      },
      { ns: "net:300", links: [link(1, "lo", "loopback", { state: "DOWN" })], routes: [], listening: [], files: {} },
    ],
  };
}
