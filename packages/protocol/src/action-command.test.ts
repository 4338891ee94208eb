import { describe, expect, it } from "vitest";
import { type ActionTargets, actionCommand, StackTarget } from "./action-command.js";
import { Action, NSFS_PATH_PATTERN } from "./actions.js";

const blue = { via: "name", name: "blue", inode: 4026532100 } as const;
const pinned = { via: "path", path: "/proc/4242/ns/net", inode: 4026532200 } as const;
const initial = { via: "initial" } as const;
const cmd = (a: unknown, t: ActionTargets) => actionCommand(Action.parse(a), t);

describe("actionCommand", () => {
  it("builds ip netns add/del for named stacks", () => {
    expect(cmd({ type: "netns.create", params: { name: "blue" } }, {}).command).toEqual(["ip", "netns", "add", "blue"]);
    expect(cmd({ type: "netns.delete", params: { name: "blue" } }, {}).command).toEqual(["ip", "netns", "del", "blue"]);
  });

  it("moves a link by name, back to the initial stack by pid 1, and out of an unnamed stack with nsenter", () => {
    const toInitial = cmd(
      { type: "link.move", params: { ns: "blue", link: "v0", to: "initial" } },
      { ns: blue, to: initial },
    );
    expect(toInitial.command).toEqual(["ip", "-n", "blue", "link", "set", "dev", "v0", "netns", "1"]);
    const fromUnnamed = cmd(
      { type: "link.move", params: { ns: "net:4026532200", link: "v0", to: "blue" } },
      { ns: pinned, to: blue },
    );
    expect(fromUnnamed.command).toEqual([
      "nsenter",
      "--net=/proc/4242/ns/net",
      "ip",
      "link",
      "set",
      "dev",
      "v0",
      "netns",
      "blue",
    ]);
  });

  it("puts keywords before names so a link named 'up' stays a name", () => {
    const r = cmd(
      { type: "veth.create", params: { a: { ns: "initial", name: "up" }, b: { ns: "blue", name: "down" } } },
      {
        a: initial,
        b: blue,
      },
    );
    expect(r.command).toEqual([
      "ip",
      "link",
      "add",
      "name",
      "up",
      "type",
      "veth",
      "peer",
      "name",
      "down",
      "netns",
      "blue",
    ]);
    const s = cmd({ type: "link.setState", params: { ns: "initial", link: "up", up: false } }, { ns: initial });
    expect(s.command).toEqual(["ip", "link", "set", "dev", "up", "down"]);
    const a = cmd({ type: "addr.del", params: { ns: "blue", link: "v0", address: "10.0.0.1/24" } }, { ns: blue });
    expect(a.command).toEqual(["ip", "-n", "blue", "addr", "del", "10.0.0.1/24", "dev", "v0"]);
  });

  it("writes files only under /etc/netns/<name>/", () => {
    const r = cmd({ type: "netns.file.write", params: { name: "blue", file: "hosts", content: "" } }, {});
    expect(r).toEqual({ command: null, writes: "/etc/netns/blue/hosts" });
  });

  it("refuses targets that do not fit their parameter", () => {
    const move = { type: "link.move", params: { ns: "net:4026532200", link: "v0", to: "initial" } };
    expect(() => cmd(move, { ns: blue, to: initial })).toThrow(/does not match/);
    expect(() => cmd(move, { ns: { ...pinned, inode: 1 }, to: initial })).toThrow(/does not match/);
    expect(() => cmd(move, { ns: pinned })).toThrow(/no target/);
    expect(() =>
      cmd({ ...move, params: { ...move.params, ns: "blue" } }, { ns: { ...blue, name: "red" }, to: initial }),
    ).toThrow();
  });

  it("accepts only plain absolute nsfs paths as targets", () => {
    for (const p of ["/proc/1/ns/net", "/run/netns/blue", "/var/run/docker/netns/0a1b2c"])
      expect(NSFS_PATH_PATTERN.test(p)).toBe(true);
    for (const p of ["proc/1/ns/net", "/proc/1/../2/ns/net", "/a/..", "/x y", "/x;rm", "-x", "/ü"]) {
      expect(NSFS_PATH_PATTERN.test(p), p).toBe(false);
    }
    expect(StackTarget.safeParse({ via: "path", path: "/proc/1/ns/net" }).success).toBe(false); // inode required
  });

  it("removes a pin with umount inside the mount namespace that holds it, and nowhere else", () => {
    const a = {
      type: "netns.pin.remove",
      params: { ns: "net:4026532200", path: "/tmp/nsat-pin", mountNs: "mnt:4026532300" },
    };
    const pin = { via: "path", path: "/proc/4242/root/tmp/nsat-pin", inode: 4026532200 } as const;
    const mount = { via: "pid", pid: 4242, inode: 4026532300 } as const;
    expect(cmd(a, { ns: pinned, pin, mount }).command).toEqual([
      "nsenter",
      "--mount=/proc/4242/ns/mnt",
      "umount",
      "--",
      "/tmp/nsat-pin",
    ]);
    expect(() => cmd(a, { ns: pinned, pin, mount: { ...mount, inode: 1 } })).toThrow(/mountNs/);
    expect(() => cmd(a, { ns: pinned, pin: { ...pin, path: "/proc/1/root/tmp/nsat-pin" }, mount })).toThrow(/pin/);
    expect(() => cmd(a, { ns: pinned, pin: { ...pin, inode: 7 }, mount })).toThrow(/pin/);
    expect(() => cmd(a, { ns: pinned, mount })).toThrow(/pin/);
    expect(Action.safeParse({ ...a, params: { ...a.params, ns: "initial" } }).success).toBe(false);
    expect(Action.safeParse({ ...a, params: { ...a.params, path: "/tmp/../etc" } }).success).toBe(false);
    expect(Action.safeParse({ ...a, params: { ...a.params, mountNs: "net:1" } }).success).toBe(false);
  });
});
