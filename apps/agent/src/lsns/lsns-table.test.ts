import type { Namespace } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { fixtureInventory, fixtureProcess } from "../__fixtures__/inventory.js";
import { lsnsData } from "./lsns-cells.js";
import { parseLsnsArgs } from "./lsns-options.js";
import { namespacesTable, processesTable } from "./lsns-table.js";
import { printScols } from "./scols-print.js";

const INIT = { cgroup: 10, ipc: 11, mnt: 12, net: 13, pid: 14, time: 15, user: 16, uts: 17 };
const proc = (pid: number, ppid: number, comm: string, ns: Partial<typeof INIT> = {}) =>
  fixtureProcess(pid, ppid, pid === 2 ? [] : [comm], ns);
const processes = [
  proc(1, 0, "init"),
  proc(2, 0, "kthreadd"),
  proc(30, 1, "unshare", { user: 20 }),
  proc(31, 30, "sleep", { user: 20, pid: 21 }),
];
function ns(type: Namespace["type"], inode: number, o: Partial<Namespace> = {}): Namespace {
  const pids = processes.filter((p) => p.ns[type] === inode).map((p) => p.pid);
  return {
    id: `${type}:${inode}`,
    type,
    inode,
    initial: inode < 20,
    names: [],
    pids,
    holders: pids.map((pid) => ({ kind: "process" as const, pid })),
    owner: type === "user" && inode === 16 ? null : "user:16",
    ...o,
  };
}
const namespaces = [
  ...Object.entries(INIT).map(([t, i]) => ns(t as Namespace["type"], i)),
  ns("user", 20, { parent: "user:16", ownerUid: 0 }),
  ns("pid", 21, { owner: "user:20", parent: "pid:14" }),
  ns("net", 22, { names: ["blue"], holders: [{ kind: "bindmount", path: "/run/netns/blue" }] }),
];
const inv = fixtureInventory(namespaces, processes);
function lsns(...args: string[]): string {
  const o = parseLsnsArgs(args);
  const d = lsnsData(inv, o.types);
  d.nsfsSeparator = o.noWrap ? "," : "\n";
  const target = o.namespace === null ? null : d.namespaces.find((n) => n.inode === o.namespace);
  const table = target ? processesTable(d, o, target) : namespacesTable(d, o);
  return printScols(table, {
    json: o.json,
    raw: o.raw,
    noHeadings: o.noHeadings,
    isTerm: false,
    termWidth: 80,
    utf8: true,
  });
}

describe("lsns lines", () => {
  it("hangs a namespace under the last line of its first process's parent (the process tree)", () => {
    const out = lsns("-t", "user", "-t", "pid").split("\n");
    expect(out.slice(0, 5)).toEqual([
      // Widths: data narrower than the header takes the header's; as wide, the hint (5, 10).
      "        NS TYPE  NPROCS PID USER COMMAND",
      "        14 pid        3   1 root init",
      "        16 user       2   1 root init",
      "        20 user       2  30 root └─unshare",
      "        21 pid        1  31 root   └─sleep",
    ]);
  });

  it("builds owner and parent trees, owners outside -t included as rows without processes", () => {
    const owner = lsns("-t", "pid", "-T", "-o", "NS,TYPE,NPROCS").split("\n");
    expect(owner).toEqual([
      "NS         TYPE  NPROCS",
      "16         user       0",
      "├─14       pid        3",
      "└─20       user       0",
      "  └─21     pid        1",
      "",
    ]);
    const parent = lsns("-Tparent", "-t", "pid", "-o", "NS,TYPE").split("\n");
    // 14 has no parent: its owner (16, outside -t) comes first; 21's owner 20 is listed too.
    expect(parent.slice(1, 5)).toEqual(["16         user", "└─20       user", "14         pid", "└─21       pid"]);
  });

  it("lists the processes of one namespace with `lsns <namespace>`", () => {
    expect(lsns("20", "-r")).toBe(
      "PID PPID USER COMMAND\n30 1 root unshare\n31 30 root \\xe2\\x94\\x94\\xe2\\x94\\x80sleep\n",
    );
  });

  it("-p keeps the namespaces of a process, -P those without processes, -Q what the filter holds for", () => {
    expect(lsns("-p", "31", "-r", "-n", "-o", "NS")).toBe("10\n11\n12\n13\n15\n17\n20\n21\n");
    expect(lsns("-P", "-r", "-o", "NS,NSFS,NAME,HOLDERS")).toBe(
      "NS NSFS NAME HOLDERS\n22 /run/netns/blue blue 1\\x20mount\n",
    );
    expect(lsns("-r", "-n", "-o", "NS", "-Q", 'TYPE == "pid" || NS == 20')).toBe("14\n20\n21\n");
  });

  it("prints kernel threads' comm as the command and a namespace without process with empty cells", () => {
    const rows = lsns("-J", "-o", "NS,PID,COMMAND", "-t", "net");
    expect(rows).toContain('"ns": 22,\n         "pid": null,\n         "command": null');
  });
});
