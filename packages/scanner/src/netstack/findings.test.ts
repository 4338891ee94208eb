import type { NetStack } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { NamespaceTable } from "../namespace-table.js";
import { duplicateAddresses, leakedStacks, notPrivileged, sortFindings, unreadableProcesses } from "./findings.js";

const stack = (ns: string, addrs: Array<[string, number, string]>): NetStack => ({
  ns,
  links: [
    {
      ifindex: 2,
      name: "eth0",
      kind: "veth",
      state: "UP",
      flags: [],
      mtu: 1500,
      mac: null,
      master: null,
      linkNs: null,
      addresses: addrs.map(([address, prefixlen, scope]) => ({ family: "inet", address, prefixlen, scope })),
      peer: null,
      tunOwners: [],
    },
  ],
  routes: [],
  listening: [],
  files: {},
});

describe("findings", () => {
  it("flags an address found in several stacks, but not loopback or link-local ones", () => {
    const f = duplicateAddresses([
      stack("net:1", [
        ["10.0.0.1", 24, "global"],
        ["127.0.0.1", 8, "host"],
      ]),
      stack("net:2", [
        ["10.0.0.1", 16, "global"],
        ["127.0.0.1", 8, "host"],
        ["fe80::1", 64, "link"],
      ]),
      stack("net:3", [
        ["10.0.0.1", 24, "global"],
        ["fe80::1", 64, "link"],
      ]),
    ]);
    expect(sortFindings(f)).toEqual([
      {
        code: "duplicate-address",
        ns: "net:1",
        message: "10.0.0.1/24 is also in net:2, net:3",
        refs: ["net:2", "net:3"],
      },
      {
        code: "duplicate-address",
        ns: "net:2",
        message: "10.0.0.1/16 is also in net:1, net:3",
        refs: ["net:1", "net:3"],
      },
      {
        code: "duplicate-address",
        ns: "net:3",
        message: "10.0.0.1/24 is also in net:1, net:2",
        refs: ["net:1", "net:2"],
      },
    ]);
  });

  it("calls a stack leaked when nothing but an fd, a socket or a stray pin keeps it", () => {
    const t = new NamespaceTable();
    t.ensure("net", 1).pids.push(1); // initial
    t.ensure("net", 2).names.push("blue"); // named
    t.ensure("net", 3).holders.push({ kind: "fd", pid: 900, fd: 3 });
    t.ensure("net", 4).holders.push({ kind: "bindmount", path: "/tmp/pin", mountNs: "mnt:7" });
    t.ensure("net", 5).holders.push({ kind: "task", pid: 610, tid: 612 });
    t.ensure("net", 6).holders.push({ kind: "socket", pid: 42, fd: 5 });
    t.ensure("uts", 7).holders.push({ kind: "fd", pid: 1, fd: 1 });
    const f = leakedStacks(t.entries(), 1);
    expect(f.map((x) => x.ns)).toEqual(["net:3", "net:4", "net:6"]);
    expect(f[0]).toMatchObject({ message: expect.stringContaining("fd 3 of pid 900"), pids: [900], refs: [] });
    expect(f[1]).toMatchObject({ message: expect.stringContaining("a pin at /tmp/pin in mnt:7"), refs: ["mnt:7"] });
    expect(f[1]?.pids).toBeUndefined();
    expect(f[2]?.message).toContain("a socket (fd 5) of pid 42");
  });

  it("reports unreadable processes as root, and one not-privileged finding otherwise", () => {
    const u = [{ pid: 1, comm: "init", errno: 13 }];
    expect(unreadableProcesses(u, true)).toEqual([
      expect.objectContaining({ code: "unreadable-process", pids: [1], refs: [] }),
    ]);
    expect(unreadableProcesses(u, false)).toEqual([]);
    expect(notPrivileged(true, 1)).toEqual([]);
    expect(notPrivileged(false, 3)).toEqual([
      expect.objectContaining({ code: "not-privileged", message: expect.stringContaining("3 process(es)") }),
    ]);
  });
});
