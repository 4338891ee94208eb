import { fileURLToPath } from "node:url";
import { Inventory } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { fixtureDescribe } from "./__fixtures__/fixture-describe.js";
import { scan } from "./scan.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function scanFixture() {
  return scan({
    procRoot: fixture("proc-basic"),
    netnsDir: fixture("netns-basic"),
    passwdPath: fixture("passwd"),
    euid: 0,
    describe: fixtureDescribe,
    now: () => new Date("2026-01-01T00:00:00Z"),
  });
}

describe("scan on a fixture /proc tree", () => {
  const inv = scanFixture();
  const ns = (id: string) => inv.namespaces.find((n) => n.id === id);

  it("produces a document that satisfies the inventory schema", () => {
    expect(Inventory.safeParse(inv).success).toBe(true);
    expect(inv.host).toMatchObject({ hostname: "fixture-host", kernel: "6.1.0-fixture", initialFrom: "pid1" });
  });

  it("reads every process with identity, zombies too, skipping reaped ones and malformed stat", () => {
    expect(inv.processes.map((p) => p.pid)).toEqual([1, 2, 523, 524, 600, 610, 900, 960, 970]);
    // A zombie serves only its user and pid links (see zombies.int.test.ts for the kernel's word).
    expect(inv.processes.find((p) => p.pid === 960)).toMatchObject({
      state: "Z",
      ns: { cgroup: null, ipc: null, mnt: null, net: null, pid: 4026531836, time: null, user: 4026531837, uts: null },
      nsForChildren: { pid: null, time: null },
    });
    const p524 = inv.processes.find((p) => p.pid === 524);
    expect(p524).toMatchObject({
      comm: "my (weird) comm",
      ppid: 1,
      startTime: 501,
      cmdline: ["sleep", "200"],
      user: "root",
    });
    expect(p524?.container).toMatchObject({ runtime: "docker", id: "0123456789abcdef".repeat(4), podUid: null });
    expect(inv.warnings.some((w) => w.includes("pid 950") && w.includes("stat"))).toBe(true);
  });

  it("names a stack from the netns dir and warns about entries that are not nsfs", () => {
    expect(ns("net:4026532177")).toMatchObject({ names: ["blue"], pids: [523, 524], initial: false });
    expect(inv.warnings.some((w) => w.includes("stale") && w.includes("not an nsfs mount"))).toBe(true);
    expect(inv.warnings.some((w) => w.includes("notnet") && w.includes("mnt namespace"))).toBe(true);
  });

  it("finds pins anywhere, fd holders, task holders and for-children namespaces", () => {
    expect(ns("net:4026532300")?.holders).toEqual([
      { kind: "bindmount", path: "/var/lib/my pins/p1", mountNs: "mnt:4026531832" },
    ]);
    expect(ns("mnt:4026532800")?.holders).toEqual([
      { kind: "bindmount", path: "/tmp/mntpin", mountNs: "mnt:4026531832" },
    ]);
    expect(ns("net:4026532600")).toMatchObject({ pids: [], holders: [{ kind: "fd", pid: 900, fd: 3 }] });
    expect(ns("net:4026532400")).toMatchObject({ pids: [], holders: [{ kind: "task", pid: 610, tid: 612 }] });
    expect(ns("net:4026531833")?.pids).toContain(610);
    expect(ns("pid:4026532700")?.holders).toEqual([{ kind: "children", pid: 970 }]);
    expect(inv.processes.find((p) => p.pid === 970)?.nsForChildren.pid).toBe(4026532700);
  });

  it("credits a pin seen in several mount namespaces once, to the initial one", () => {
    const pins = ns("net:4026532177")?.holders.filter((h) => h.kind === "bindmount");
    expect(pins).toEqual([{ kind: "bindmount", path: "/run/netns/blue", mountNs: "mnt:4026531832" }]);
  });

  it("builds the user and pid trees, including a user namespace no process holds", () => {
    expect(ns("user:4026531837")).toMatchObject({ initial: true, owner: null, parent: null, ownerUid: 0 });
    expect(ns("user:4026532499")).toMatchObject({ pids: [], holders: [], parent: "user:4026531837", ownerUid: 1000 });
    expect(ns("user:4026532500")).toMatchObject({ parent: "user:4026532499", owner: "user:4026532499" });
    expect(ns("pid:4026532501")).toMatchObject({ parent: "pid:4026531836", owner: "user:4026532500" });
    expect(ns("uts:4026532513")?.owner).toBe("user:4026532500");
    expect(ns("uts:4026532513")?.parent).toBeUndefined();
  });

  it("reads NSpid only outside the initial pid namespace, and parses the pod of a container", () => {
    const p600 = inv.processes.find((p) => p.pid === 600);
    expect(p600?.nspid).toEqual([600, 1]);
    expect(p600?.container).toMatchObject({
      runtime: "containerd",
      id: "fedcba9876543210".repeat(4),
      podUid: "1a2b3c4d-0000-1111-2222-333344445555",
    });
    expect(inv.processes.find((p) => p.pid === 523)?.nspid).toEqual([523]);
  });

  it("reports malformed mountinfo lines as warnings", () => {
    expect(inv.warnings.some((w) => w.includes("mountinfo") && w.includes("malformed"))).toBe(true);
  });

  it("fails with a clear error on an unreadable proc root", () => {
    expect(() =>
      scan({ procRoot: "/nonexistent-proc", netnsDir: "/nonexistent", euid: 0, describe: fixtureDescribe }),
    ).toThrow(/cannot read proc root \/nonexistent-proc/);
  });

  it("marks a scan by a non-root user as not privileged", () => {
    const inv2 = scan({
      procRoot: fixture("proc-basic"),
      netnsDir: fixture("netns-basic"),
      euid: 1000,
      describe: fixtureDescribe,
    });
    expect(inv2.host.privileged).toBe(false);
    expect(inv2.warnings.some((w) => w.startsWith("not privileged"))).toBe(true);
  });
});
