import type { ContainerHint, Inventory, Namespace, Process } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { renderNamespaceTable } from "./ns-table.js";

const NS = { cgroup: 1, ipc: 2, mnt: 3, net: 900, pid: 5, time: 6, user: 7, uts: 8 };
const hint = (name: string, pod: ContainerHint["pod"] = null): ContainerHint => ({
  runtime: "docker",
  id: name.repeat(64).slice(0, 64),
  podUid: null,
  engine: "docker",
  name,
  image: "busybox",
  pod,
  compose: null,
});
const proc = (pid: number, container: ContainerHint | null): Process => ({
  pid,
  ppid: 1,
  comm: "sleep",
  cmdline: ["sleep", "1000"],
  uid: 0,
  user: "root",
  startTime: 1,
  nspid: [pid],
  container,
  ns: NS,
  nsForChildren: { pid: 5, time: 6 },
});
const net = (inode: number, pids: number[]): Namespace => ({
  id: `net:${inode}`,
  type: "net",
  inode,
  initial: false,
  names: [],
  pids,
  holders: pids.map((pid) => ({ kind: "process", pid })),
  owner: null,
});

describe("renderNamespaceTable", () => {
  it("shows the container or the pod in NAME, like lsns shows a name there", () => {
    const inv = {
      processes: [
        proc(10, hint("a")),
        proc(11, hint("b")),
        proc(20, hint("c", { name: "web-0", namespace: "shop", uid: "u" })),
        proc(30, null),
      ],
      netstacks: [],
    } as unknown as Inventory;
    const rows = renderNamespaceTable(inv, [net(900, [10, 11]), net(901, [20]), net(902, [30])]).split("\n");
    expect(rows[1]).toMatch(/ a, b +sleep 1000$/);
    expect(rows[2]).toMatch(/ shop\/web-0 +sleep 1000$/);
    expect(rows[3]).toMatch(/ - +sleep 1000$/);
  });
});
