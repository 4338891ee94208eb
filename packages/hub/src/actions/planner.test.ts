import { Action, type Namespace } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { BLUE, INITIAL, testHost, UNNAMED } from "../test-host.js";
import { testNamespace, testProcess } from "../test-inventory.js";
import { ActionError } from "./action-error.js";
import { planAction } from "./planner.js";

const plan = (a: unknown) => planAction(testHost(), Action.parse(a));
const refusal = (a: unknown) => {
  try {
    plan(a);
  } catch (err) {
    if (err instanceof ActionError) return `${err.kind} ${err.code}`;
    throw err;
  }
  return "planned";
};

describe("planAction", () => {
  it("plans netns.create and refuses a name that is taken", () => {
    const p = plan({ type: "netns.create", params: { name: "red" } });
    expect(p).toMatchObject({ command: ["ip", "netns", "add", "red"], writes: null, confirm: "red" });
    expect(refusal({ type: "netns.create", params: { name: "blue" } })).toBe("conflict NAME_TAKEN");
  });

  it("refuses netns.delete while processes are inside, unless forced, and lists them", () => {
    expect(refusal({ type: "netns.delete", params: { name: "blue" } })).toBe("conflict STACK_IN_USE");
    const p = plan({ type: "netns.delete", params: { name: "blue", force: true } });
    expect(p.command).toEqual(["ip", "netns", "del", "blue"]);
    expect(p.impact.processes).toEqual([{ pid: 50, comm: "nginx", command: "nginx" }]);
    expect(p.impact.notes[0]).toMatch(/stays alive, unnamed/);
    expect(refusal({ type: "netns.delete", params: { name: "green" } })).toBe("not-found NO_SUCH_STACK");
  });

  it("lists what becomes unreachable when a link moves: its address, the socket on it, the default route, the peer", () => {
    const p = plan({ type: "link.move", params: { ns: "blue", link: "v0", to: "initial" } });
    expect(p.command).toEqual(["ip", "-n", "blue", "link", "set", "dev", "v0", "netns", "1"]);
    expect(p.impact.links).toEqual([{ name: "v0", kind: "veth", from: BLUE, to: INITIAL }]);
    expect(p.impact.unreachable.map((u) => u.what)).toEqual([
      "10.0.0.1/24 on v0",
      "tcp 10.0.0.1:80 (pid 50)",
      "the default route via 10.0.0.254",
      "the veth peer v1 in net:4026531833",
    ]);
    expect(p.impact.stacks).toEqual([BLUE, INITIAL]);
  });

  it("reaches an unnamed stack through a holder's nsfs path", () => {
    const p = plan({ type: "link.setState", params: { ns: UNNAMED, link: "d0", up: false } });
    expect(p.command).toEqual(["nsenter", "--net=/proc/60/ns/net", "ip", "link", "set", "dev", "d0", "down"]);
    expect(p.impact.unreachable.map((u) => u.what)).toEqual(["10.9.0.1/24 on d0"]);
  });

  it("refuses moves that cannot work", () => {
    expect(refusal({ type: "link.move", params: { ns: "blue", link: "lo", to: "initial" } })).toBe(
      "conflict LINK_NETNS_LOCAL",
    );
    expect(refusal({ type: "link.move", params: { ns: "blue", link: "v0", to: "blue" } })).toBe("conflict SAME_STACK");
    expect(refusal({ type: "link.move", params: { ns: "blue", link: "nope", to: "initial" } })).toBe(
      "not-found NO_SUCH_LINK",
    );
    expect(refusal({ type: "link.move", params: { ns: "net:1", link: "v0", to: "initial" } })).toBe(
      "not-found NO_SUCH_STACK",
    );
  });

  it("plans veth pairs and refuses names that exist on either side", () => {
    const p = plan({
      type: "veth.create",
      params: { a: { ns: "initial", name: "va" }, b: { ns: "blue", name: "vb" } },
    });
    expect(p.command).toEqual([
      "ip",
      "link",
      "add",
      "name",
      "va",
      "type",
      "veth",
      "peer",
      "name",
      "vb",
      "netns",
      "blue",
    ]);
    expect(
      refusal({ type: "veth.create", params: { a: { ns: "initial", name: "eth0" }, b: { ns: "blue", name: "vb" } } }),
    ).toBe("conflict LINK_EXISTS");
    expect(
      refusal({ type: "veth.create", params: { a: { ns: "blue", name: "x" }, b: { ns: "blue", name: "x" } } }),
    ).toBe("conflict LINK_EXISTS");
  });

  it("plans address changes, however an IPv6 address is written", () => {
    expect(refusal({ type: "addr.add", params: { ns: "blue", link: "v0", address: "10.0.0.1/24" } })).toBe(
      "conflict ADDRESS_EXISTS",
    );
    expect(refusal({ type: "addr.del", params: { ns: "blue", link: "v0", address: "10.0.0.2/24" } })).toBe(
      "not-found NO_SUCH_ADDRESS",
    );
    const del = plan({ type: "addr.del", params: { ns: "blue", link: "v0", address: "10.0.0.1/24" } });
    expect(del.impact.unreachable.map((u) => u.what)).toEqual(["10.0.0.1/24 on v0", "tcp 10.0.0.1:80 (pid 50)"]);
    const dup = plan({ type: "addr.add", params: { ns: UNNAMED, link: "d0", address: "192.168.1.10/32" } });
    expect(dup.impact.notes[0]).toMatch(/also on eth0/);
  });

  it("plans file writes under /etc/netns and refuses deleting a file that is not there", () => {
    const w = plan({ type: "netns.file.write", params: { name: "blue", file: "hosts", content: "10.0.0.1 web\n" } });
    expect(w).toMatchObject({ command: null, writes: "/etc/netns/blue/hosts", confirm: "blue" });
    expect(plan({ type: "netns.file.delete", params: { name: "blue", file: "resolv.conf" } }).writes).toBe(
      "/etc/netns/blue/resolv.conf",
    );
    expect(refusal({ type: "netns.file.delete", params: { name: "blue", file: "hosts" } })).toBe(
      "not-found NO_SUCH_FILE",
    );
  });

  it("asks for the host name before a link of the initial stack goes down, moves out or loses an address", () => {
    for (const a of [
      { type: "link.setState", params: { ns: "initial", link: "eth0", up: false } },
      { type: "link.move", params: { ns: "initial", link: "eth0", to: "blue" } },
      { type: "addr.del", params: { ns: "initial", link: "eth0", address: "192.168.1.10/24" } },
    ]) {
      const p = plan(a);
      expect(p.confirm, a.type).toBe("h1");
      expect(p.impact.warning).toMatch(/cuts this host's connectivity through eth0/);
      // Only processes with a socket on eth0's addresses, not every process of the host.
      expect(p.impact.processes).toEqual([]);
    }
    const up = plan({ type: "link.setState", params: { ns: "initial", link: "eth0", up: true } });
    expect(up.confirm).toBe("eth0");
    expect(up.impact.warning).toBeUndefined();
    const inBlue = plan({ type: "link.setState", params: { ns: "blue", link: "v0", up: false } });
    expect(inBlue.confirm).toBe("v0");
    expect(inBlue.impact.processes.map((x) => x.pid)).toEqual([50]);
  });

  it("shows a /etc/netns file write as a unified diff", () => {
    const p = plan({
      type: "netns.file.write",
      params: { name: "blue", file: "resolv.conf", content: "nameserver 10.0.0.53\nnameserver 10.0.0.54\n" },
    });
    expect(p.impact.diff).toContain("--- /etc/netns/blue/resolv.conf");
    expect(p.impact.diff).toContain("+nameserver 10.0.0.54");
    expect(p.impact.diff).not.toMatch(/^-nameserver 10.0.0.53/m);
    const created = plan({
      type: "netns.file.write",
      params: { name: "blue", file: "hosts", content: "10.0.0.1 web\n" },
    });
    expect(created.impact.diff).toMatch(/^--- \/dev\/null/m);
    expect(created.impact.diff).toContain("+10.0.0.1 web");
  });

  it("plans a pin removal inside the mount namespace holding the pin, through its lowest live pid", () => {
    const inv = testHost();
    const leaked = { ...testNamespace(4026532300, []), holders: [] as Namespace["holders"] };
    leaked.holders.push({ kind: "bindmount", path: "/tmp/pin", mountNs: "mnt:4026532400" });
    inv.namespaces.push(leaked, { ...testNamespace(4026532400, [70, 71]), id: "mnt:4026532400", type: "mnt" });
    inv.processes.push({ ...testProcess(70, 4026531833), state: "Z" }, testProcess(71, 4026531833));
    const a = {
      type: "netns.pin.remove",
      params: { ns: "net:4026532300", path: "/tmp/pin", mountNs: "mnt:4026532400" },
    };
    const p = planAction(inv, Action.parse(a));
    expect(p.command).toEqual(["nsenter", "--mount=/proc/71/ns/mnt", "umount", "--", "/tmp/pin"]);
    expect(p.confirm).toBe("net:4026532300");
    expect(p.targets.mount).toEqual({ via: "pid", pid: 71, inode: 4026532400 });
    expect(p.targets.pin).toEqual({ via: "path", path: "/proc/71/root/tmp/pin", inode: 4026532300 });
    const missing = { ...a, params: { ...a.params, path: "/tmp/other" } };
    expect(() => planAction(inv, Action.parse(missing))).toThrow(/no pin/);
    const noMnt = { ...a, params: { ...a.params, mountNs: "mnt:1" } };
    expect(() => planAction(inv, Action.parse(noMnt))).toThrow(/no mount namespace/);
  });
});
