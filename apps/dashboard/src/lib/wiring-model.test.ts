import type { Inventory } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { link, smallInventory } from "./__fixtures__/small-inventory";
import { buildWiring, namePrefix } from "./wiring-model";

/** The small inventory with a macvlan on the host's NIC in stack 300, an ipvlan whose lower
 * device is not known, and a DOWN veth. */
function richer(): Inventory {
  const inv = smallInventory();
  const [host, blue, leaked] = inv.netstacks ?? [];
  host?.links.push(link(9, "eth9", "physical"), link(12, "vdown", "veth", { state: "DOWN", flags: ["BROADCAST"] }));
  blue?.links.push(link(7, "vpeer", "veth", { peer: { ns: "net:200", ifindex: 8, name: "vpeer2" } }));
  blue?.links.push(link(8, "vpeer2", "veth", { peer: { ns: "net:200", ifindex: 7, name: "vpeer" } }));
  leaked?.links.push(link(2, "mv0", "macvlan", { linkNs: "net:100", parent: "eth9" }));
  leaked?.links.push(link(3, "ipv0", "ipvlan", { linkNs: "net:200" }));
  leaked?.links.push(link(4, "vx0", "vxlan", { linkNs: "net:100" }));
  inv.findings.push({
    code: "duplicate-address",
    ns: "net:200",
    message: "10.0.0.2/24 is also in net:100",
    refs: ["net:100"],
  });
  return inv;
}

describe("wiring model", () => {
  const m = buildWiring(richer());
  const stack = (id: string) => m.stacks.find((s) => s.id === id);

  it("names stacks by the shared resolver and leaves loopback out", () => {
    expect(m.stacks.map((s) => s.title)).toEqual(["initial", "blue", "unnamed (fd 5 of pid 10)"]);
    expect(m.stacks.flatMap((s) => s.ports).some((p) => p.kind === "loopback")).toBe(false);
  });

  it("puts a bridge's members right under it, and the tun owner process in its own stack", () => {
    expect(stack("net:200")?.ports.map((p) => p.name)).toEqual([
      "tun0",
      "vpeer",
      "vpeer2",
      "br0",
      "eth0",
      "nginx (21)",
    ]);
    expect(stack("net:200")?.ports.find((p) => p.name === "eth0")?.memberOf).toBe("net:200#3");
  });

  it("tells each kind of wire apart, one wire per veth pair", () => {
    const kinds = m.wires.map((w) => `${w.kind} ${w.from} ${w.to}`).sort();
    expect(kinds).toEqual([
      "cross-stack net:300#4 net:100",
      "member net:200#2 net:200#3",
      "parent net:300#2 net:100#9",
      "parent net:300#3 net:200",
      "tun net:200#4 pid:21",
      "veth net:100#5 net:200#2",
      "veth net:200#7 net:200#8",
    ]);
    expect(m.wires.find((w) => w.kind === "veth" && w.from === "net:100#5")?.label).toBe("veth0 ⇄ eth0");
  });

  it("marks DOWN ports, duplicate addresses and leaked stacks", () => {
    expect(stack("net:100")?.ports.find((p) => p.name === "vdown")?.down).toBe(true);
    expect(stack("net:100")?.ports.find((p) => p.name === "veth0")?.down).toBe(false);
    expect(stack("net:200")?.ports.find((p) => p.name === "br0")?.duplicates).toEqual(["10.0.0.2/24"]);
    expect(stack("net:300")?.leaked).toBe(true);
    expect(stack("net:200")?.leaked).toBe(false);
  });

  it("groups by name prefix", () => {
    expect(namePrefix("nsat3f9a-red")).toBe("nsat3f9a");
    expect(namePrefix("web_1")).toBe("web");
    expect(namePrefix("web12")).toBe("web");
    expect(namePrefix("initial")).toBeNull();
  });
});
