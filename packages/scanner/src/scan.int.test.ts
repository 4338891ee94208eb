import { readlinkSync } from "node:fs";
import { Inventory, type Namespace } from "@nsatlas/protocol";
import { World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "./scan.js";

// Real namespaces made by this file; assertions only concern what it made, since other
// processes on the host come and go.
const world = new World();
const scanNow = () =>
  scan({ procRoot: "/proc", netnsDir: "/run/netns", euid: process.geteuid?.() ?? -1, ownPid: process.pid });
const inode = (pid: number, type: string) => Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${type}`))?.[1]);
const byId = (inv: Inventory, id: string): Namespace | undefined => inv.namespaces.find((n) => n.id === id);

interface LsnsRow {
  ns: number;
  type: string;
  nprocs: number;
  pns: number;
  ons: number;
}
function lsns(): LsnsRow[] {
  const out = JSON.parse(world.run(["lsns", "-J", "-o", "NS,TYPE,NPROCS,PNS,ONS"])) as { namespaces: LsnsRow[] };
  return out.namespaces;
}

afterAll(() => world.cleanup());

describe("scan against real namespaces", () => {
  let blue: { name: string; path: string };
  let empty: { name: string; path: string };
  let inBlue: number[];
  let unshared: number;
  let userOwned: number;
  let pinPath: string;
  let pinInode: number;
  let fdHolder: number;
  let fdInode: number;
  let threaded: { pid: number; tid: number; netns: number };
  let socketHolder: { pid: number; fd: number; netns: number };
  let inv: Inventory;

  beforeAll(async () => {
    blue = world.netnsAdd("blue");
    empty = world.netnsAdd("empty");
    // setns like `nsenter --net`, not `ip netns exec` (which also gives a mount namespace).
    inBlue = [];
    for (let i = 0; i < 2; i++) {
      const p = await world.spawn(["nsenter", `--net=${blue.path}`, "sleep", "1000"], { comm: "sleep" });
      inBlue.push(p.pid);
    }
    unshared = (
      await world.spawn(
        [
          "unshare",
          "--uts",
          "--ipc",
          "--mount",
          "--pid",
          "--fork",
          "--cgroup",
          "--time",
          "--kill-child",
          "sleep",
          "1000",
        ],
        { comm: "sleep", forkedChild: true },
      )
    ).pid;
    userOwned = (
      await world.spawn(["unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "sleep", "1000"], {
        comm: "sleep",
        forkedChild: true,
      })
    ).pid;

    // A stack pinned by a bind mount outside /run/netns, with no process inside.
    pinPath = `${world.tmpDir()}/pin`;
    world.run(["touch", pinPath]);
    world.run(["unshare", `--net=${pinPath}`, "true"]);
    world.defer(() => world.run(["umount", pinPath]));
    pinInode = Number(
      /\[(\d+)\]/.exec(world.run(["nsenter", `--net=${pinPath}`, "readlink", "/proc/self/ns/net"]))?.[1],
    );

    // A stack held only by another process's open fd: open it, then drop the name.
    const gone = world.netnsAdd("gone");
    fdInode = Number(
      /\[(\d+)\]/.exec(world.run(["ip", "netns", "exec", gone.name, "readlink", "/proc/self/ns/net"]))?.[1],
    );
    fdHolder = (await world.spawn(["bash", "-c", `exec 3<${gone.path}; exec sleep 1000`], { comm: "sleep" })).pid;
    world.run(["ip", "netns", "del", gone.name]);

    // A thread in another stack, and a socket left behind in a stack its process has left.
    const holder = world.nsHolder();
    const t = await world.spawn([holder, "thread-net", blue.path], { line: /^ready/ });
    threaded = { pid: t.pid, tid: Number(t.output[0]?.split(" ")[1]), netns: inode(inBlue[0] as number, "net") };
    const sockNs = world.netnsAdd("sock");
    const s = await world.spawn([holder, "socket-net", sockNs.path], { line: /^ready/ });
    const sockInode = Number(
      /\[(\d+)\]/.exec(world.run(["ip", "netns", "exec", sockNs.name, "readlink", "/proc/self/ns/net"]))?.[1],
    );
    world.run(["ip", "netns", "del", sockNs.name]);
    socketHolder = { pid: s.pid, fd: Number(/fd=(\d+)/.exec(s.output[0] ?? "")?.[1]), netns: sockInode };

    inv = scanNow();
  });

  it("produces a schema-valid inventory", () => {
    const parsed = Inventory.safeParse(inv);
    expect(parsed.error?.issues.slice(0, 3)).toBeUndefined();
    expect(inv.host.privileged).toBe(true);
  });

  it("agrees with readlink of /proc for every namespace of the processes it made", () => {
    for (const pid of [...inBlue, unshared, userOwned]) {
      const p = inv.processes.find((x) => x.pid === pid);
      expect(p, `pid ${pid}`).toBeDefined();
      for (const type of ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"] as const) {
        expect(p?.ns[type], `${pid} ${type}`).toBe(inode(pid, type));
        expect(byId(inv, `${type}:${inode(pid, type)}`)?.pids).toContain(pid);
      }
    }
  });

  it("names stacks from /run/netns, with and without processes, like ip netns pids/identify", () => {
    const blueNs = inv.namespaces.find((n) => n.names.includes(blue.name));
    const emptyNs = inv.namespaces.find((n) => n.names.includes(empty.name));
    expect(blueNs?.id).toBe(`net:${inode(inBlue[0] as number, "net")}`);
    const ipPids = world.run(["ip", "netns", "pids", blue.name]).trim().split("\n").map(Number);
    // ip netns pids also lists our thread-holder (its thread is in blue): ip counts threads.
    expect(new Set(blueNs?.pids)).toEqual(new Set(ipPids.filter((p) => p !== threaded.pid)));
    expect(world.run(["ip", "netns", "identify", String(inBlue[1])]).trim()).toBe(blue.name);
    expect(emptyNs).toMatchObject({ pids: [], initial: false });
    expect(emptyNs?.holders).toContainEqual({ kind: "bindmount", path: empty.path, mountNs: expect.any(String) });
  });

  it("sees the unshared uts/ipc/mnt/pid/cgroup/time namespaces as new, with NSpid", () => {
    const p = inv.processes.find((x) => x.pid === unshared);
    for (const type of ["uts", "ipc", "mnt", "pid", "cgroup", "time"] as const) {
      expect(byId(inv, `${type}:${p?.ns[type]}`)?.initial, type).toBe(false);
    }
    expect(p?.nspid).toEqual([unshared, 1]);
    expect(byId(inv, `pid:${p?.ns.pid}`)?.parent).toBe(inv.namespaces.find((n) => n.type === "pid" && n.initial)?.id);
  });

  it("knows a pid namespace owned by a new user namespace, like lsns PNS/ONS", () => {
    const pidNs = byId(inv, `pid:${inode(userOwned, "pid")}`);
    const userNs = byId(inv, `user:${inode(userOwned, "user")}`);
    expect(pidNs?.owner).toBe(userNs?.id);
    expect(userNs).toMatchObject({ ownerUid: 0, initial: false });
    const rows = lsns();
    const lsPid = rows.find((r) => r.ns === pidNs?.inode && r.type === "pid");
    const lsUser = rows.find((r) => r.ns === userNs?.inode && r.type === "user");
    expect(`user:${lsPid?.ons}`).toBe(pidNs?.owner);
    expect(`pid:${lsPid?.pns}`).toBe(pidNs?.parent);
    expect(`user:${lsUser?.pns}`).toBe(userNs?.parent);
    expect(lsPid?.nprocs).toBe(pidNs?.pids.length);
  });

  it("finds a stack pinned outside /run/netns with no process", () => {
    expect(byId(inv, `net:${pinInode}`)).toMatchObject({ names: [], pids: [] });
    expect(byId(inv, `net:${pinInode}`)?.holders).toContainEqual(
      expect.objectContaining({ kind: "bindmount", path: pinPath }),
    );
  });

  it("finds a stack held only by another process's fd", () => {
    expect(byId(inv, `net:${fdInode}`)).toMatchObject({
      names: [],
      pids: [],
      holders: [{ kind: "fd", pid: fdHolder, fd: 3 }],
    });
  });

  it("finds a thread in another stack without making its process a member", () => {
    const ns = byId(inv, `net:${threaded.netns}`);
    expect(ns?.holders).toContainEqual({ kind: "task", pid: threaded.pid, tid: threaded.tid });
    expect(ns?.pids).not.toContain(threaded.pid);
  });

  it("finds a stack that only a socket keeps alive (pidfd_getfd + SIOCGSKNS)", () => {
    expect(byId(inv, `net:${socketHolder.netns}`)).toMatchObject({
      names: [],
      pids: [],
      holders: [{ kind: "socket", pid: socketHolder.pid, fd: socketHolder.fd }],
    });
    // Its owner comes from the socket too (no path opens such a stack).
    expect(byId(inv, `net:${socketHolder.netns}`)?.owner).toBe(`user:${inode(process.pid, "user")}`);
    // (Other processes of the host may exit mid-scan: only this stack is asked about.)
    expect(
      inv.warnings.filter((w) => w.startsWith("hierarchy unknown") && w.includes(`net:${socketHolder.netns}`)),
    ).toEqual([]);
  });

  it("agrees with lsns on process counts of the namespaces it made", () => {
    const rows = lsns();
    // The namespaces this file made (not the initial ones its processes share with the host,
    // whose counts change while the test runs).
    const initial = new Set(["uts", "ipc", "mnt", "net", "pid", "user"].map((t) => `${t}:${inode(process.pid, t)}`));
    const made = [
      ...new Set(
        [...inBlue, unshared, userOwned].flatMap((pid) =>
          ["uts", "ipc", "mnt", "net", "pid", "user"].map((t) => `${t}:${inode(pid, t)}`),
        ),
      ),
    ].filter((id) => !initial.has(id));
    expect(made.length).toBeGreaterThanOrEqual(7);
    for (const id of made) {
      const row = rows.find((r) => `${r.type}:${r.ns}` === id);
      expect(row, `lsns lists ${id}`).toBeDefined();
      expect(byId(inv, id)?.pids.length, id).toBe(row?.nprocs);
    }
  });
});
