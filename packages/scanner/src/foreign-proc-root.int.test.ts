import type { Inventory } from "@nsatlas/protocol";
import { nsLinkInode as inode, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "./scan.js";

// A /proc mounted in another pid namespace (a container's), scanned from outside through
// /proc/<pid>/root/proc, with a stack inside that only a socket keeps alive.
const world = new World();

afterAll(() => world.cleanup());

describe("--proc-root of another pid namespace's /proc", () => {
  let init: number;
  let inv: Inventory;

  beforeAll(async () => {
    const sock = world.netnsAdd("fs");
    const holder = world.nsHolder();
    init = (
      await world.spawn(
        ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", holder, "socket-net", sock.path],
        { line: /^ready/, forkedChild: true },
      )
    ).pid;
    world.run(["ip", "netns", "del", sock.name]);
    inv = scan({
      procRoot: `/proc/${init}/root/proc`,
      netnsDir: "/run/netns",
      euid: process.geteuid?.() ?? -1,
      ownPid: process.pid,
    });
  });

  it("sees the container's init as its PID 1 (the test set up what it means to)", () => {
    expect(inv.processes.find((p) => p.pid === 1)?.ns.pid).toBe(inode(init, "pid"));
  });

  it("does not mark the container's own pid and mount namespaces initial; says the initial ones are unknown", () => {
    expect(inv.host.initialFrom).toBe("none");
    for (const type of ["pid", "mnt"])
      expect(inv.namespaces.find((n) => n.id === `${type}:${inode(init, type)}`)?.initial).toBe(false);
    expect(inv.namespaces.filter((n) => n.initial)).toEqual([]);
    expect(inv.warnings.filter((w) => w.startsWith("initial namespaces unknown"))).toHaveLength(1);
  });

  it("warns that stacks kept only by a socket cannot be seen through it", () => {
    expect(inv.warnings.filter((w) => w.startsWith("stacks kept alive only by a socket are not visible"))).toHaveLength(
      1,
    );
  });
});
