import { describe, expect, it } from "vitest";
import { ACTION_TYPES, Action, confirmText, LinkName, StackName, StackRef } from "./actions.js";

const HOSTILE = [
  "; rm -rf /",
  "../x",
  "x/../y",
  "1",
  "0123",
  "ünï",
  "名前",
  "",
  "a b",
  ".hidden",
  "initial",
  "x".repeat(10_240),
];

describe("name grammar", () => {
  it("accepts ordinary stack names", () => {
    for (const n of ["blue", "ns-1", "a.b_c", "x".repeat(64), "1a", "-dash"])
      expect(StackName.safeParse(n).success).toBe(true);
  });

  it("refuses hostile stack names: shell, paths, all digits, unicode, empty, 'initial', too long", () => {
    for (const n of [...HOSTILE, "x".repeat(65)]) expect(StackName.safeParse(n).success, n).toBe(false);
  });

  it("limits link names to 15 characters and the same grammar", () => {
    expect(LinkName.safeParse("veth0").success).toBe(true);
    expect(LinkName.safeParse("x".repeat(15)).success).toBe(true);
    expect(LinkName.safeParse("x".repeat(16)).success).toBe(false);
    for (const n of HOSTILE.filter((h) => h !== "initial")) expect(LinkName.safeParse(n).success, n).toBe(false);
  });

  it("takes a stack name, 'initial' or net:<inode> as a stack reference", () => {
    for (const r of ["initial", "net:4026532000", "blue"]) expect(StackRef.safeParse(r).success).toBe(true);
    for (const r of ["net:", "net:x", "mnt:4026531840", "1", "../x", ""])
      expect(StackRef.safeParse(r).success).toBe(false);
  });
});

describe("Action", () => {
  it("parses every action type of the issue", () => {
    const samples: unknown[] = [
      { type: "netns.create", params: { name: "blue" } },
      { type: "netns.delete", params: { name: "blue", force: true } },
      { type: "link.move", params: { ns: "blue", link: "veth0", to: "initial" } },
      { type: "veth.create", params: { a: { ns: "initial", name: "va" }, b: { ns: "net:4026532001", name: "vb" } } },
      { type: "link.setState", params: { ns: "blue", link: "lo", up: true } },
      { type: "addr.add", params: { ns: "blue", link: "veth0", address: "10.0.0.1/24" } },
      { type: "addr.del", params: { ns: "blue", link: "veth0", address: "fd00::1/64" } },
      { type: "netns.file.write", params: { name: "blue", file: "resolv.conf", content: "nameserver 10.0.0.53\n" } },
      { type: "netns.file.delete", params: { name: "blue", file: "hosts" } },
      { type: "netns.pin.remove", params: { ns: "net:4026532001", path: "/run/netns/old", mountNs: "mnt:4026532002" } },
      { type: "capture.start", params: { ns: "blue", link: null } },
    ];
    const parsed = samples.map((s) => Action.parse(s));
    expect(parsed.map((a) => a.type)).toEqual([...ACTION_TYPES]);
    expect(parsed.map(confirmText)).toEqual([
      "blue",
      "blue",
      "veth0",
      "va",
      "lo",
      "veth0",
      "veth0",
      "blue",
      "blue",
      "net:4026532001",
      "blue",
    ]);
  });

  it("capture.start takes the issue's defaults and refuses a filter of more than one line", () => {
    const a = Action.parse({ type: "capture.start", params: { ns: "blue" } });
    expect(a.params).toEqual({
      ns: "blue",
      link: null,
      filter: "",
      snaplen: 262144,
      maxSeconds: 60,
      maxBytes: 64 * 1024 * 1024,
      maxPackets: null,
    });
    const bad = { type: "capture.start", params: { ns: "blue", filter: "icmp\nor tcp" } };
    expect(Action.safeParse(bad).success).toBe(false);
    expect(Action.safeParse({ type: "capture.start", params: { ns: "blue", maxSeconds: 3601 } }).success).toBe(false);
  });

  it("refuses unknown types, unknown keys, addresses without a prefix, other files and oversized content", () => {
    const bad: unknown[] = [
      { type: "shell.run", params: { cmd: "id" } },
      { type: "netns.create", params: { name: "blue", extra: 1 } },
      { type: "netns.create", params: { name: "blue" }, more: true },
      { type: "addr.add", params: { ns: "blue", link: "veth0", address: "10.0.0.1" } },
      { type: "addr.add", params: { ns: "blue", link: "veth0", address: "10.0.0.1/24; reboot" } },
      { type: "netns.file.write", params: { name: "blue", file: "../../shadow", content: "" } },
      { type: "netns.file.write", params: { name: "blue", file: "hosts", content: "x".repeat(64 * 1024 + 1) } },
      { type: "netns.file.write", params: { name: "blue", file: "hosts", content: "a\0b" } },
      { type: "link.setState", params: { ns: "blue", link: "lo", up: "yes" } },
    ];
    for (const b of bad) expect(Action.safeParse(b).success, JSON.stringify(b).slice(0, 80)).toBe(false);
  });

  it("counts content in UTF-8 bytes: 64 KiB of ASCII fits, 64 KiB of two-byte characters does not", () => {
    const write = (content: string) => ({ type: "netns.file.write", params: { name: "b", file: "hosts", content } });
    expect(Action.safeParse(write("x".repeat(64 * 1024))).success).toBe(true);
    expect(Action.safeParse(write("é".repeat(32 * 1024 + 1))).success).toBe(false);
  });
});
