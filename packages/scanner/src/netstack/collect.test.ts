import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FD_SOCKET, FD_TUN, type NetstackRequest, type RawStack } from "@nsatlas/native";
import { afterAll, describe, expect, it } from "vitest";
import { rawLink, rawProcess, rawRoute, rawStack, veth } from "../__fixtures__/raw-netstack.js";
import { NamespaceTable } from "../namespace-table.js";
import { collectNetstacks } from "./collect.js";

const etc = mkdtempSync(join(tmpdir(), "nsatlas-collect-"));
afterAll(() => rmSync(etc, { recursive: true, force: true }));

// Four stacks wired A(10)<->B(20) and D(40)<->C(30) with the same ifindex pairs (5 <-> 2):
// only the nsids each stack gives the others can tell who is whose peer.
const STACKS: Record<number, RawStack> = {
  10: rawStack({
    links: [rawLink(1, "lo", { arphrd: 772 }), veth(5, "toB", 2, 0)],
    addresses: [{ ifindex: 5, family: 2, prefixlen: 24, scope: 0, address: "10.0.0.1" }],
    routes: [rawRoute({ oif: 5, gateway: "10.0.0.254" })],
    sockets: [{ proto: 6, family: 2, state: 10, port: 80, inode: 7001, address: "0.0.0.0" }],
  }),
  20: rawStack({
    links: [veth(2, "eth0", 5, 0), rawLink(3, "tun0", { kind: "tun", tunType: 1, mac: null })],
    addresses: [{ ifindex: 2, family: 2, prefixlen: 24, scope: 0, address: "10.0.0.1" }],
  }),
  30: rawStack({ links: [veth(2, "eth0", 5, 3)] }),
  40: rawStack({ links: [veth(5, "toC", 2, 1)] }),
  50: rawStack({ err: 1, errStep: "setns" }),
  60: rawStack({ err: 2, errStep: "open" }),
};
/** nsid that stack `from` gives stack `to` (by inode). */
const NSIDS: Record<number, Record<number, number>> = {
  10: { 20: 0, 30: 4 },
  20: { 10: 0, 40: 8 },
  30: { 10: 6, 40: 3 },
  40: { 20: 2, 30: 1 },
};

function fakeRead() {
  const calls: NetstackRequest[] = [];
  const read = (req: NetstackRequest) => {
    calls.push(req);
    const stacks = req.stacks.map((s) => (req.dump ? (STACKS[s.inode] ?? rawStack()) : rawStack()));
    const nsids: number[] = [];
    const q = req.queries ?? [];
    for (let i = 0; i + 1 < q.length; i += 2) {
      const from = req.stacks[q[i] as number]?.inode ?? 0;
      const to = req.stacks[q[i + 1] as number]?.inode ?? 0;
      nsids.push(NSIDS[from]?.[to] ?? -1, 0);
    }
    return { stacks, nsids };
  };
  return { read, calls };
}

describe("collectNetstacks", () => {
  const table = new NamespaceTable();
  for (const inode of [10, 20, 30, 40, 50, 60]) table.ensure("net", inode, `/proc/1${inode}/ns/net`);
  table.ensure("net", 10).names.push("blue");
  mkdirSync(join(etc, "blue"));
  writeFileSync(join(etc, "blue", "resolv.conf"), "nameserver 10.53.0.1\n");
  const raw = [rawProcess(700, 10, [3, FD_SOCKET, 7001, 10]), rawProcess(701, 10, [4, FD_TUN, 0, 20], ["tun0"])];
  const { read, calls } = fakeRead();
  const result = collectNetstacks({
    table,
    raw,
    procRoot: "/proc",
    netnsDir: "/run/netns",
    etcNetnsDir: etc,
    readFrom: new Map(),
    withSockets: true,
    threads: 2,
    read,
  });
  const stack = (inode: number) => result.netstacks.find((s) => s.ns === `net:${inode}`);

  it("reads all stacks in one dump, then asks nsids once for the ambiguous pairs", () => {
    expect(calls.map((c) => c.dump)).toEqual([true, false]);
    expect(calls[0]?.stacks[0]).toEqual({ inode: 10, paths: ["/proc/110/ns/net", "/run/netns/blue"], sockets: [] });
    expect(result.netstacks.map((s) => s.ns)).toEqual(["net:10", "net:20", "net:30", "net:40", "net:50", "net:60"]);
  });

  it("wires peers exactly although every pair repeats the same ifindexes", () => {
    expect(stack(10)?.links[1]).toMatchObject({ peer: { ns: "net:20", ifindex: 2, name: "eth0" }, linkNs: "net:20" });
    expect(stack(20)?.links[0]?.peer).toEqual({ ns: "net:10", ifindex: 5, name: "toB" });
    expect(stack(30)?.links[0]?.peer).toEqual({ ns: "net:40", ifindex: 5, name: "toC" });
    expect(stack(40)?.links[0]?.peer).toEqual({ ns: "net:30", ifindex: 2, name: "eth0" });
  });

  it("shapes the rest of a stack: addresses, routes, owners, files", () => {
    const blue = stack(10);
    expect(blue?.links[0]).toMatchObject({ name: "lo", kind: "loopback", peer: null, linkNs: null, tunOwners: [] });
    expect(blue?.links[1]?.addresses).toEqual([
      { family: "inet", address: "10.0.0.1", prefixlen: 24, scope: "global" },
    ]);
    expect(blue?.routes).toEqual([expect.objectContaining({ dst: "default", gateway: "10.0.0.254", dev: "toB" })]);
    expect(blue?.listening).toEqual([{ proto: "tcp", address: "0.0.0.0", port: 80, pids: [700] }]);
    expect(blue?.files).toEqual({ "resolv.conf": "nameserver 10.53.0.1\n" });
    expect(stack(20)?.links[1]).toMatchObject({ kind: "tun", mac: null, tunOwners: [701] });
  });

  it("turns read failures into findings, next to the duplicate address", () => {
    expect(result.findings.map((f) => [f.code, f.ns])).toEqual([
      ["not-privileged", "net:50"],
      ["unreadable-stack", "net:60"],
      ["duplicate-address", "net:10"],
      ["duplicate-address", "net:20"],
    ]);
    expect(stack(50)?.links).toEqual([]);
  });
});
