import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rawLink } from "../__fixtures__/raw-netstack.js";
import { flagNames } from "./kernel-names.js";
import { linkFacts, linkKind } from "./links.js";

describe("links", () => {
  it("names kinds: rtnl kind, tun vs tap, loopback and physical", () => {
    expect(linkKind(rawLink(3, "v", { kind: "veth" }))).toBe("veth");
    expect(linkKind(rawLink(4, "t", { kind: "tun", tunType: 1, arphrd: 65534 }))).toBe("tun");
    expect(linkKind(rawLink(5, "t", { kind: "tun", tunType: 2 }))).toBe("tap");
    expect(linkKind(rawLink(6, "t", { kind: "tun", tunType: 0, arphrd: 1 }))).toBe("tap");
    expect(linkKind(rawLink(1, "lo", { arphrd: 772 }))).toBe("loopback");
    expect(linkKind(rawLink(2, "eth0"))).toBe("physical");
  });

  it("spells state and flags like ip -j link", () => {
    expect(linkFacts(rawLink(2, "eth0"))).toEqual({
      ifindex: 2,
      name: "eth0",
      kind: "physical",
      state: "UP",
      flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
      mtu: 1500,
      mac: "02:00:00:00:00:01",
    });
    // Up without carrier (IFF_RUNNING clear): ip leads with NO-CARRIER.
    expect(flagNames(0x1003)).toEqual(["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"]);
    expect(linkFacts(rawLink(9, "x", { operstate: 2 })).state).toBe("DOWN");
    expect(linkFacts(rawLink(9, "x", { operstate: 99 })).state).toBe("UNKNOWN");
  });

  it("names each known flag bit once, whatever else is set", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7ffff }), (flags) => {
        const names = flagNames(flags);
        expect(new Set(names).size).toBe(names.length);
        expect(names.includes("UP")).toBe((flags & 1) !== 0);
        expect(names.includes("NO-CARRIER")).toBe((flags & 1) !== 0 && (flags & 0x40) === 0);
      }),
    );
  });
});
