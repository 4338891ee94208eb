import { describe, expect, it } from "vitest";
import type { MountEntry } from "../parse/mountinfo.js";
import { netnsNameFindings } from "./netns-names.js";

let id = 20;
const mount = (mountPoint: string, fsType: string, root = "/"): MountEntry => ({
  mountId: id++,
  root,
  mountPoint,
  fsType,
});
const base = [mount("/", "ext4"), mount("/run", "tmpfs"), mount("/run/netns", "tmpfs")];

describe("netnsNameFindings", () => {
  const input = {
    netnsDir: "/run/netns",
    visible: ["blue", "red"],
    named: new Map([
      ["blue", "net:100"],
      ["red", "net:200"],
    ]),
    whyUnreadable: () => "not an nsfs mount",
  };

  it("finds nothing when every pin is visible and every entry opens", () => {
    const mounts = [
      ...base,
      mount("/run/netns/blue", "nsfs", "net:[100]"),
      mount("/run/netns/red", "nsfs", "net:[200]"),
    ];
    expect(netnsNameFindings({ ...input, mounts })).toEqual([]);
  });

  it("sees a pin covered by a later mount on its path, and what the name reaches now", () => {
    const mounts = [
      ...base,
      mount("/run/netns/blue", "nsfs", "net:[100]"),
      mount("/run/netns/red", "nsfs", "net:[300]"),
      mount("/run/netns/red", "nsfs", "net:[200]"),
    ];
    expect(netnsNameFindings({ ...input, mounts })).toEqual([
      {
        code: "shadowed-name",
        ns: "net:300",
        message:
          'netns name "red" no longer reaches net:300: another mount covers /run/netns/red, and "ip netns exec red" enters net:200 instead',
        refs: ["net:200"],
      },
    ]);
  });

  it("sees pins hidden by a mount over the whole dir, and ignores propagated copies", () => {
    const mounts = [
      ...base,
      mount("/run/netns/blue", "nsfs", "net:[100]"),
      mount("/run/netns/gone", "nsfs", "net:[400]"),
      mount("/run/netns", "tmpfs"),
      mount("/run/netns/blue", "nsfs", "net:[100]"),
    ];
    const f = netnsNameFindings({ ...input, visible: ["blue"], mounts });
    expect(f).toEqual([expect.objectContaining({ code: "shadowed-name", ns: "net:400", refs: [] })]);
  });

  it("reports entries that open no stack, unless a shadowed pin explains them", () => {
    const mounts = [...base, mount("/run/netns/hid", "nsfs", "net:[500]"), mount("/run/netns/hid", "ext4")];
    const f = netnsNameFindings({
      ...input,
      visible: ["blue", "hid", "stale", "late"],
      mounts,
      whyUnreadable: (name) => (name === "late" ? null : "not an nsfs mount"),
    });
    expect(f.map((x) => [x.code, x.ns ?? x.message])).toEqual([
      ["shadowed-name", "net:500"],
      [
        "unreadable-name",
        'netns dir entry "stale" does not open a network namespace (not an nsfs mount); "ip netns exec stale" fails',
      ],
    ]);
  });
});
