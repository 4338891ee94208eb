import { readFileSync } from "node:fs";
import { Inventory } from "@nsatlas/protocol";
import { childrenOf, nsLinkInode as link, World, waitFor } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "./scan.js";

// Processes in the states the kernel serves fewer links for, made by this file; the ground
// truth is readlink of /proc and lsns, asked about these processes only.
const world = new World();
const scanNow = () =>
  scan({ procRoot: "/proc", netnsDir: "/run/netns", euid: process.geteuid?.() ?? -1, ownPid: process.pid });
const stateOf = (pid: number) => /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1];
const TYPES = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"] as const;

afterAll(() => world.cleanup());

describe("processes the kernel serves only some links for", () => {
  let zombie: number;
  let reaperless: number;
  let leader: number;
  let thread: number;
  let inv: Inventory;

  beforeAll(async () => {
    // bash forks `unshare --user true` and execs sleep, which never reaps it: the child dies
    // a zombie that alone keeps its new user namespace alive.
    const parent = await world.spawn(["bash", "-c", "unshare --user true & exec sleep 1000"], { comm: "sleep" });
    expect(await waitFor(() => childrenOf(parent.pid).length === 1, 5_000)).toBe(true);
    zombie = childrenOf(parent.pid)[0] as number;
    expect(await waitFor(() => stateOf(zombie) === "Z", 5_000)).toBe(true);
    // unshare(CLONE_NEWPID) without a fork: pid_for_children is ENOENT until the first child.
    reaperless = (await world.spawn(["unshare", "--pid", "sleep", "1000"], { comm: "sleep" })).pid;
    // A thread-group leader that exited while its other thread (in a stack of this test) lives.
    const blue = world.netnsAdd("zl");
    const held = await world.spawn([world.nsHolder(), "leader-exit", blue.path], { line: /^ready/ });
    leader = held.pid;
    thread = Number(held.output[0]?.split(" ")[1]);
    expect(await waitFor(() => stateOf(leader) === "Z", 5_000)).toBe(true);
    inv = scanNow();
  });

  it("lists a zombie with its state, the links it still has and null for the others", () => {
    expect(Inventory.safeParse(inv).error?.issues.slice(0, 3)).toBeUndefined();
    const p = inv.processes.find((x) => x.pid === zombie);
    expect(p?.state).toBe("Z");
    for (const type of TYPES) expect(p?.ns[type], type).toBe(link(zombie, type));
    expect(p?.ns.user).not.toBeNull();
    expect(p?.ns.net).toBeNull();
    expect(p?.nsForChildren).toEqual({
      pid: link(zombie, "pid_for_children"),
      time: link(zombie, "time_for_children"),
    });
  });

  it("lists the user namespace only the zombie keeps alive, as lsns does", () => {
    const userNs = link(zombie, "user") as number;
    const rows = (
      JSON.parse(world.run(["lsns", "-J", "-t", "user", "-o", "NS,PID"])) as { namespaces: { ns: number }[] }
    ).namespaces;
    expect(rows.map((r) => r.ns)).toContain(userNs);
    expect(inv.namespaces.find((n) => n.id === `user:${userNs}`)).toMatchObject({
      initial: false,
      pids: [zombie],
      holders: [{ kind: "process", pid: zombie }],
    });
  });

  it("says that a zombie is the only holder of that namespace", () => {
    expect(inv.findings.filter((f) => f.code === "zombie-holder" && f.pids?.includes(zombie))).toEqual([
      expect.objectContaining({ ns: `user:${link(zombie, "user")}`, pids: [zombie] }),
    ]);
  });

  it("lists a process that unshared its pid namespace without forking, pid_for_children null", () => {
    expect(link(reaperless, "pid_for_children")).toBeNull();
    const p = inv.processes.find((x) => x.pid === reaperless);
    expect(p?.state).toBe(stateOf(reaperless));
    for (const type of TYPES) expect(p?.ns[type], type).toBe(link(reaperless, type));
    expect(p?.nsForChildren.pid).toBeNull();
    expect(inv.namespaces.find((n) => n.id === `net:${link(reaperless, "net")}`)?.pids).toContain(reaperless);
  });

  it("lists every link a zombie leader's live thread still has, as task holders", () => {
    expect(inv.processes.find((x) => x.pid === leader)?.state).toBe("Z");
    expect(link(leader, "net")).toBeNull();
    for (const type of ["cgroup", "ipc", "mnt", "net", "uts"]) {
      const ino = link(`${leader}/task/${thread}`, type);
      expect(ino, type).not.toBeNull();
      expect(inv.namespaces.find((n) => n.id === `${type}:${ino}`)?.holders, type).toContainEqual({
        kind: "task",
        pid: leader,
        tid: thread,
      });
    }
  });
});
