import { readNetstacks } from "@nsatlas/native";
import type { Inventory } from "@nsatlas/protocol";
import { nsLinkInode, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../scan.js";

// A process that exits between the /proc walk and the stack read, made to do so on cue: the
// stack read is wrapped so that the process is killed right before it.
const world = new World();
/** A zombie or reaped: its stack link is gone. */
const linkGone = (pid: number) => nsLinkInode(pid, "net") === null;

afterAll(() => world.cleanup());

describe("a stack whose only process exits during the scan", () => {
  let pid: number;
  let stack: string;
  let inv: Inventory;

  beforeAll(async () => {
    pid = (await world.spawn(["unshare", "--net", "sleep", "1000"], { comm: "sleep" })).pid;
    stack = `net:${nsLinkInode(pid, "net")}`;
    inv = scan({
      procRoot: "/proc",
      netnsDir: "/run/netns",
      euid: process.geteuid?.() ?? -1,
      ownPid: process.pid,
      readNetstacks: (request) => {
        if (!linkGone(pid)) {
          process.kill(pid, "SIGKILL");
          const until = Date.now() + 5_000;
          while (!linkGone(pid) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
        return readNetstacks(request);
      },
    });
  });

  it("is simply gone: no unreadable-stack finding, no stack, no namespace, no process", () => {
    expect(linkGone(pid)).toBe(true);
    expect(inv.findings.filter((f) => f.ns === stack)).toEqual([]);
    expect(inv.netstacks?.find((s) => s.ns === stack)).toBeUndefined();
    expect(inv.namespaces.find((n) => n.id === stack)).toBeUndefined();
    expect(inv.processes.find((p) => p.pid === pid)).toBeUndefined();
    expect(inv.namespaces.filter((n) => n.pids.includes(pid))).toEqual([]);
  });
});
