import { existsSync, mkdirSync, readlinkSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { type Inventory, Inventory as InventorySchema, type Link, type NetStack } from "@nsatlas/protocol";
import { World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../scan.js";

// Real stacks wired by this file, compared with what iproute2 and ss say inside each stack.
// Assertions concern only what this file made: the host has other stacks and sockets.
const world = new World();
afterAll(() => world.cleanup());

/** The inode of the stack a path opens (a /proc link or an nsfs pin: stat follows both). */
const netInode = (path: string) => statSync(path).ino;

interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  address?: string;
  master?: string;
  link_index?: number;
  link_netnsid?: number;
  link?: string;
  linkinfo?: { info_kind?: string };
}
interface IpAddr {
  ifindex: number;
  addr_info: Array<{ family: string; local: string; prefixlen: number; scope: string }>;
}
interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  metric?: number;
  type?: string;
}

describe("network stacks of real namespaces", () => {
  let a: { name: string; path: string };
  let b: { name: string; path: string };
  let unnamedPath: string;
  let tunOwner: number;
  let listener: number;
  let threadHeld: string;
  let fdHeld: string;
  let socketHeld: string;
  let pinned: string;
  let shadowedId: string;
  let stale: string;
  let inv: Inventory;
  const n = (suffix: string) => world.name(suffix);
  /** Runs argv inside a stack: `ip -n` reaches only named ones, nsenter any path. */
  const inside = (path: string, argv: string[]) => world.run(["nsenter", `--net=${path}`, ...argv]);
  const stackAt = (path: string): NetStack => {
    const s = inv.netstacks?.find((x) => x.ns === `net:${netInode(path)}`);
    if (!s) throw new Error(`no stack for ${path}`);
    return s;
  };
  const linkNamed = (s: NetStack, name: string): Link => {
    const l = s.links.find((x) => x.name === name);
    if (!l) throw new Error(`no link ${name} in ${s.ns}`);
    return l;
  };
  const idOf = (path: string) => `net:${netInode(path)}`;

  beforeAll(async () => {
    a = world.netnsAdd("a");
    b = world.netnsAdd("b");
    const unnamed = await world.spawn(["unshare", "--net", "sleep", "1000"], { comm: "sleep" });
    unnamedPath = `/proc/${unnamed.pid}/ns/net`;
    const ip = (argv: string[]) => world.run(["ip", ...argv]);
    // veth initial <-> a; a <-> b; a <-> unnamed; both ends in b.
    ip(["link", "add", n("h0"), "type", "veth", "peer", "name", n("a0"), "netns", a.name]);
    world.defer(() => world.run(["ip", "link", "del", n("h0")]));
    ip(["-n", a.name, "link", "add", n("ab"), "type", "veth", "peer", "name", n("ba"), "netns", b.name]);
    ip(["-n", a.name, "link", "add", n("au"), "type", "veth", "peer", "name", n("ua"), "netns", String(unnamed.pid)]);
    ip(["-n", b.name, "link", "add", n("x1"), "type", "veth", "peer", "name", n("x2")]);
    // A bridge in b with two ports.
    ip(["-n", b.name, "link", "add", n("br"), "type", "bridge"]);
    // (no dummy module on every kernel: the second port is one more veth)
    ip(["-n", b.name, "link", "add", n("y1"), "type", "veth", "peer", "name", n("y2")]);
    ip(["-n", b.name, "link", "set", n("x1"), "master", n("br")]);
    ip(["-n", b.name, "link", "set", n("y1"), "master", n("br")]);
    // Macvlans on that bridge: one stays in b, one moves to a (its lower device stays in b).
    ip(["-n", b.name, "link", "add", n("mv"), "link", n("br"), "type", "macvlan"]);
    ip(["-n", b.name, "link", "add", n("mx"), "link", n("br"), "type", "macvlan"]);
    ip(["-n", b.name, "link", "set", n("mx"), "netns", a.name]);
    for (const [ns, dev] of [
      [a.name, n("a0")],
      [a.name, n("ab")],
      [b.name, n("ba")],
      [b.name, n("br")],
      [a.name, "lo"],
    ] as const)
      ip(["-n", ns, "link", "set", dev, "up"]);
    // The same IPv4 address in two stacks, an IPv6 address, a default route.
    ip(["-n", a.name, "addr", "add", "10.203.0.1/24", "dev", n("ab")]);
    ip(["-n", b.name, "addr", "add", "10.203.0.1/24", "dev", n("ba")]);
    ip(["-n", a.name, "addr", "add", "fd53:1::1/64", "dev", n("a0"), "nodad"]);
    ip(["-n", a.name, "route", "add", "default", "via", "10.203.0.254", "dev", n("ab")]);
    // A persistent tap nobody holds, and a tun device in a owned by a process in the initial stack.
    ip(["-n", a.name, "tuntap", "add", "dev", n("tp"), "mode", "tap"]);
    const holder = world.nsHolder();
    tunOwner = (await world.spawn([holder, "tun-net", a.path, n("tn")], { line: /^ready/ })).pid;
    listener = (await world.spawn([holder, "listen-net", a.path, "47123"], { line: /^ready/ })).pid;
    // Files that `ip netns exec a` bind-mounts over /etc.
    const etc = `/etc/netns/${a.name}`;
    if (!existsSync("/etc/netns")) world.defer(() => rmdirSync("/etc/netns"));
    mkdirSync(etc, { recursive: true });
    world.defer(() => rmSync(etc, { recursive: true, force: true }));
    writeFileSync(`${etc}/resolv.conf`, "nameserver 10.53.0.1\n");
    writeFileSync(`${etc}/hosts`, "10.203.0.1 a.test\n");

    // Stacks kept by a thread only, by an fd only, by a socket only, and by a pin outside /run/netns.
    const threadOnly = world.netnsAdd("th");
    threadHeld = idOf(threadOnly.path);
    await world.spawn([holder, "thread-net", threadOnly.path], { line: /^ready/ });
    world.run(["ip", "netns", "del", threadOnly.name]);
    const fdOnly = world.netnsAdd("fd");
    fdHeld = idOf(fdOnly.path);
    await world.spawn(["bash", "-c", `exec 3<${fdOnly.path}; exec sleep 1000`], { comm: "sleep" });
    world.run(["ip", "netns", "del", fdOnly.name]);
    const sockOnly = world.netnsAdd("sk");
    socketHeld = idOf(sockOnly.path);
    await world.spawn([holder, "socket-net", sockOnly.path], { line: /^ready/ });
    world.run(["ip", "netns", "del", sockOnly.name]);
    const pin = `${world.tmpDir()}/pin`;
    world.run(["touch", pin]);
    world.run(["unshare", `--net=${pin}`, "true"]);
    world.defer(() => world.run(["umount", pin]));
    pinned = idOf(pin);
    // A name whose pin another mount covers, and an entry that is no mount at all.
    const hidden = world.netnsAdd("hid");
    shadowedId = idOf(hidden.path);
    world.run(["mount", "--bind", b.path, hidden.path]);
    world.defer(() => world.run(["umount", hidden.path]));
    stale = world.name("st");
    writeFileSync(`/run/netns/${stale}`, "");
    world.defer(() => rmSync(`/run/netns/${stale}`, { force: true }));

    inv = scan({ procRoot: "/proc", netnsDir: "/run/netns", euid: process.geteuid?.() ?? -1, ownPid: process.pid });
  });

  it("reads stacks held only by a thread, an fd, a socket or a stray pin, and calls the last three leaked", () => {
    for (const id of [fdHeld, socketHeld, pinned]) {
      const s = inv.netstacks?.find((x) => x.ns === id);
      expect(
        s?.links.map((l) => l.name),
        id,
      ).toEqual(["lo"]);
      expect(
        inv.findings.filter((f) => f.code === "leaked-stack" && f.ns === id),
        id,
      ).toHaveLength(1);
    }
    // A thread inside is a process's presence: that stack is in use, not leaked.
    expect(inv.netstacks?.find((x) => x.ns === threadHeld)?.links.map((l) => l.name)).toEqual(["lo"]);
    expect(inv.findings.filter((f) => f.code === "leaked-stack" && f.ns === threadHeld)).toEqual([]);
    // The one stack no path reaches: its only pin is covered (the inode check refuses b).
    // Only the stacks this file made are asked about: the host has its own.
    const ours = new Set([fdHeld, socketHeld, pinned, threadHeld, shadowedId, idOf(a.path), idOf(b.path)]);
    expect(
      inv.findings
        .filter((f) => f.code === "unreadable-stack" && f.ns !== undefined && ours.has(f.ns))
        .map((f) => f.ns),
    ).toEqual([shadowedId]);
  });

  it("reads the initial stack through other holders when PID 1's links are denied even to root", () => {
    let denied = false;
    try {
      readlinkSync("/proc/1/ns/net");
    } catch {
      denied = true; // hardened or foreign init (as on a Firecracker VM's process_api)
    }
    const initial = inv.namespaces.find((ns) => ns.type === "net" && ns.initial);
    expect(inv.netstacks?.find((s) => s.ns === initial?.id)?.links.map((l) => l.name)).toContain("lo");
    const finding = inv.findings.find((f) => f.code === "unreadable-process" && f.pids?.includes(1));
    expect(finding !== undefined).toBe(denied);
  });

  it("reports a shadowed name and an unreadable netns dir entry", () => {
    expect(inv.findings).toContainEqual({
      code: "shadowed-name",
      ns: shadowedId,
      message: expect.stringContaining(`enters ${idOf(b.path)} instead`),
      refs: [idOf(b.path)],
    });
    // No path reaches the covered stack: its owner is unknown, and a warning says so (the
    // cover's owner is not taken for its own).
    expect(inv.namespaces.find((n) => n.id === shadowedId)?.owner).toBeNull();
    expect(inv.warnings.some((w) => w.startsWith("hierarchy unknown") && w.includes(shadowedId))).toBe(true);
    expect(inv.findings).toContainEqual({
      code: "unreadable-name",
      message: expect.stringContaining(`"${stale}"`),
      refs: [],
    });
  });

  it("is schema-valid and has a stack for every network namespace, the initial one included", () => {
    expect(InventorySchema.safeParse(inv).error?.issues.slice(0, 3)).toBeUndefined();
    const netIds = inv.namespaces.filter((ns) => ns.type === "net").map((ns) => ns.id);
    expect(inv.netstacks?.map((s) => s.ns).sort()).toEqual([...netIds].sort());
    expect(stackAt("/proc/self/ns/net").links.map((l) => l.name)).toContain("lo");
    for (const path of [a.path, b.path, unnamedPath]) expect(stackAt(path).links.length).toBeGreaterThan(0);
  });

  it("agrees with ip -j -d link inside each stack", () => {
    for (const path of [a.path, b.path, unnamedPath]) {
      const ipLinks = JSON.parse(inside(path, ["ip", "-j", "-d", "link", "show"])) as IpLink[];
      const ours = stackAt(path).links;
      expect(ours.map((l) => l.ifindex).sort()).toEqual(ipLinks.map((l) => l.ifindex).sort());
      for (const ipl of ipLinks) {
        const l = ours.find((x) => x.ifindex === ipl.ifindex);
        expect(l, ipl.ifname).toMatchObject({
          name: ipl.ifname,
          mtu: ipl.mtu,
          state: ipl.operstate,
          master: ipl.master ?? null,
          flags: ipl.flags.filter((f) => f !== "M-DOWN"),
        });
        if (ipl.address) expect(l?.mac).toBe(ipl.address);
        const kind = ipl.linkinfo?.info_kind;
        if (kind && kind !== "tun") expect(l?.kind).toBe(kind);
        if (ipl.link_netnsid !== undefined) expect(l?.peer?.ifindex ?? l?.linkNs).toBeTruthy();
        if (kind === "veth" && ipl.link_index !== undefined) expect(l?.peer?.ifindex).toBe(ipl.link_index);
      }
    }
  });

  it("resolves veth peers across stacks to (namespace, ifindex, name)", () => {
    const initial = "/proc/self/ns/net";
    const cases: Array<[string, string, string, string]> = [
      [initial, n("h0"), a.path, n("a0")],
      [a.path, n("ab"), b.path, n("ba")],
      [a.path, n("au"), unnamedPath, n("ua")],
      [b.path, n("x1"), b.path, n("x2")],
    ];
    for (const [here, name, there, peerName] of cases) {
      const link = linkNamed(stackAt(here), name);
      const peer = linkNamed(stackAt(there), peerName);
      expect(link.peer, name).toEqual({ ns: idOf(there), ifindex: peer.ifindex, name: peerName });
      expect(peer.peer, peerName).toEqual({ ns: idOf(here), ifindex: link.ifindex, name });
      expect(link.linkNs, name).toBe(here === there ? null : idOf(there));
    }
    expect(linkNamed(stackAt(b.path), n("br")).peer).toBeNull();
    expect(inv.findings.filter((f) => f.code === "unreachable-peer" && f.ns === idOf(a.path))).toEqual([]);
  });

  it("knows bridge ports and the owners of tun devices", () => {
    const sb = stackAt(b.path);
    expect(linkNamed(sb, n("x1")).master).toBe(n("br"));
    expect(linkNamed(sb, n("y1")).master).toBe(n("br"));
    expect(linkNamed(sb, n("br")).kind).toBe("bridge");
    const sa = stackAt(a.path);
    expect(linkNamed(sa, n("tn"))).toMatchObject({ kind: "tun", tunOwners: [tunOwner] });
    expect(linkNamed(sa, n("tp"))).toMatchObject({ kind: "tap", tunOwners: [] });
    // The owner itself lives in the initial stack: the device was found by its own stack.
    expect(readlinkSync(`/proc/${tunOwner}/ns/net`)).toBe(readlinkSync("/proc/self/ns/net"));
  });

  it("names the lower device of a macvlan, in its own stack or in the one linkNs names", () => {
    expect(linkNamed(stackAt(b.path), n("mv"))).toMatchObject({ kind: "macvlan", parent: n("br"), linkNs: null });
    expect(linkNamed(stackAt(a.path), n("mx"))).toMatchObject({
      kind: "macvlan",
      parent: n("br"),
      linkNs: idOf(b.path),
    });
    expect(linkNamed(stackAt(b.path), n("br")).parent).toBeNull();
    expect(linkNamed(stackAt(a.path), n("a0")).parent).toBeNull(); // a veth's IFLA_LINK is its peer
  });

  it("agrees with ip -j addr and ip -j route, and flags the duplicate address", () => {
    for (const path of [a.path, b.path]) {
      const ipAddrs = JSON.parse(inside(path, ["ip", "-j", "addr", "show"])) as IpAddr[];
      const s = stackAt(path);
      for (const ipa of ipAddrs) {
        const want = ipa.addr_info.map((x) => ({
          family: x.family,
          address: x.local,
          prefixlen: x.prefixlen,
          scope: x.scope,
        }));
        expect(s.links.find((l) => l.ifindex === ipa.ifindex)?.addresses).toEqual(want);
      }
      for (const family of ["-4", "-6"]) {
        const ipRoutes = JSON.parse(inside(path, ["ip", "-j", family, "route", "show", "table", "main"])) as IpRoute[];
        const ours = s.routes.filter((r) => r.table === "main" && r.family === (family === "-4" ? "inet" : "inet6"));
        expect(ours.map((r) => r.dst).sort()).toEqual(ipRoutes.map((r) => r.dst).sort());
        for (const ipr of ipRoutes) {
          const r = ours.find((x) => x.dst === ipr.dst && x.dev === (ipr.dev ?? null));
          expect(r, ipr.dst).toMatchObject({ gateway: ipr.gateway ?? null, metric: ipr.metric ?? 0 });
          if (ipr.protocol) expect(r?.protocol).toBe(ipr.protocol);
        }
      }
    }
    expect(linkNamed(stackAt(a.path), n("a0")).addresses).toContainEqual({
      family: "inet6",
      address: "fd53:1::1",
      prefixlen: 64,
      scope: "global",
    });
    const dup = inv.findings.find((f) => f.code === "duplicate-address" && f.ns === idOf(a.path));
    expect(dup?.message).toContain("10.203.0.1/24");
    expect(dup?.refs).toContain(idOf(b.path));
  });

  it("lists listening sockets with their owners, like ss -lntupH", () => {
    const ss = inside(a.path, ["ss", "-lntupH"]);
    const listening = stackAt(a.path).listening;
    for (const line of ss.trim().split("\n").filter(Boolean)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[4] ?? "";
      const port = Number(local.slice(local.lastIndexOf(":") + 1));
      const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
      const proto = cols[0] as "tcp" | "udp";
      expect(
        listening.some((l) => l.proto === proto && l.port === port && pids.every((p) => l.pids.includes(p))),
        line,
      ).toBe(true);
    }
    expect(listening).toContainEqual({ proto: "tcp", address: "127.0.0.1", port: 47123, pids: [listener] });
    expect(listening).toContainEqual({ proto: "udp", address: "127.0.0.1", port: 47123, pids: [listener] });
  });

  it("reads /etc/netns/<name>/* for named stacks", () => {
    expect(stackAt(a.path).files).toEqual({ hosts: "10.203.0.1 a.test\n", "resolv.conf": "nameserver 10.53.0.1\n" });
    expect(stackAt(b.path).files).toEqual({});
  });

  it("changes nothing: no name, no pin and no nsid appear", () => {
    // Names and pins of this file's stacks only (other tests on the host make and drop theirs).
    const ours = (text: string) =>
      text
        .split("\n")
        .filter((l) => l.includes(world.prefix))
        .sort();
    const names = () => ours(world.run(["ip", "netns", "list"]));
    const ids = () => [a, b].map((s) => world.run(["ip", "-n", s.name, "netns", "list-id"])).join("|");
    const mounts = () => ours(world.run(["findmnt", "-rn", "-t", "nsfs", "-o", "TARGET"]));
    const before = [names(), ids(), mounts()];
    scan({ procRoot: "/proc", netnsDir: "/run/netns", euid: 0, ownPid: process.pid });
    expect([names(), ids(), mounts()]).toEqual(before);
  });

  it("leaves netstacks out with netstacks: false, and still reports findings", () => {
    const lean = scan({ procRoot: "/proc", netnsDir: "/run/netns", euid: 0, ownPid: process.pid, netstacks: false });
    expect(lean.netstacks).toBeUndefined();
    expect(lean.findings.filter((f) => f.code === "leaked-stack" && f.ns === pinned)).toHaveLength(1);
  });
});
