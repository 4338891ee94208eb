import { describe, expect, it } from "vitest";
import { NamespaceTable } from "../namespace-table.js";
import { stackRef } from "./stack-refs.js";

describe("stackRef", () => {
  const ctx = { procRoot: "/proc", netnsDir: "/run/netns", readFrom: new Map([[4026531841, 77]]), withSockets: true };

  it("lists the discovery path, names, then holders, and sockets apart", () => {
    const t = new NamespaceTable();
    const e = t.ensure("net", 9, "/proc/5/ns/net");
    e.names.push("blue");
    e.holders.push(
      { kind: "process", pid: 5 },
      { kind: "task", pid: 6, tid: 8 },
      { kind: "fd", pid: 7, fd: 3 },
      { kind: "bindmount", path: "/tmp/pin", mountNs: "mnt:4026531841" },
      { kind: "bindmount", path: "/elsewhere", mountNs: "mnt:1" },
      { kind: "socket", pid: 9, fd: 4 },
    );
    expect(stackRef(e, ctx)).toEqual({
      inode: 9,
      paths: ["/proc/5/ns/net", "/run/netns/blue", "/proc/6/task/8/ns/net", "/proc/7/fd/3", "/proc/77/root/tmp/pin"],
      sockets: [9, 4],
    });
    expect(stackRef(e, { ...ctx, withSockets: false }).sockets).toEqual([]);
  });

  it("caps the paths tried", () => {
    const t = new NamespaceTable();
    const e = t.ensure("net", 1, null);
    for (let pid = 100; pid < 200; pid++) e.holders.push({ kind: "process", pid });
    expect(stackRef(e, ctx).paths).toHaveLength(6);
  });
});
