import type { Inventory, NetStack } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { link, smallInventory } from "./__fixtures__/small-inventory";
import { buildWiring } from "./wiring-model";
import { buildScene, groupId, nearStacks } from "./wiring-scene";

/** The initial stack with a bridge and `n` stacks named web-<i>, each wired to it by a veth
 * pair, plus a chain web-0 - deep-1 - deep-2. */
function star(n: number): Inventory {
  const inv = smallInventory();
  const host = inv.netstacks?.[0] as NetStack;
  const veth = (ifindex: number, name: string, peer: { ns: string; ifindex: number; name: string }) =>
    link(ifindex, name, "veth", { linkNs: peer.ns, peer });
  const add = (inode: number, name: string) => {
    inv.namespaces.push({
      ...(inv.namespaces[1] as Inventory["namespaces"][number]),
      id: `net:${inode}`,
      inode,
      names: [name],
    });
    inv.netstacks?.push({ ns: `net:${inode}`, links: [], routes: [], listening: [], files: {} });
    return inv.netstacks?.at(-1) as NetStack;
  };
  const wire = (a: NetStack, ai: number, b: NetStack, bi: number) => {
    a.links.push(veth(ai, `v${ai}`, { ns: b.ns, ifindex: bi, name: `v${bi}` }));
    b.links.push(veth(bi, `v${bi}`, { ns: a.ns, ifindex: ai, name: `v${ai}` }));
  };
  const webs = Array.from({ length: n }, (_, i) => add(1000 + i, `web-${i}`));
  for (const [i, w] of webs.entries()) wire(host, 100 + i, w, 2);
  const d1 = add(2001, "deep-1");
  const d2 = add(2002, "deep-2");
  wire(webs[0] as NetStack, 3, d1, 2);
  wire(d1, 3, d2, 2);
  return inv;
}

const none = { groupBy: "none" as const, collapsed: new Set<string>(), focus: null, showLonely: false };

describe("wiring scene", () => {
  const m = buildWiring(star(6));

  it("leaves out stacks without wires unless asked, but keeps those with findings", () => {
    const ids = buildScene(m, none).boxes.map((b) => b.id);
    expect(ids).toContain("net:300"); // leaked: a finding
    expect(ids).toContain("net:1005");
  });

  it("focus shows a stack and what is within N wires of it", () => {
    expect([...nearStacks(m, "net:2002", 1)].sort()).toEqual(["net:2001", "net:2002"]);
    expect([...nearStacks(m, "net:2002", 2)].sort()).toEqual(["net:1000", "net:2001", "net:2002"]);
    const focused = buildScene(m, { ...none, focus: { id: "net:2001", depth: 1 } });
    expect(focused.boxes.map((b) => b.id).sort()).toEqual(["net:1000", "net:2001", "net:2002"]);
  });

  it("a collapsed group is one box and its wires merge into one with a count", () => {
    const g = groupId("prefix", "web");
    const open = buildScene(m, { ...none, groupBy: "prefix" });
    expect(open.groups.get(g)?.members).toHaveLength(6);
    expect(open.boxes.filter((b) => b.kind === "stack" && b.group === g)).toHaveLength(6);
    const shut = buildScene(m, { ...none, groupBy: "prefix", collapsed: new Set([g]) });
    expect(shut.boxes.filter((b) => b.kind === "group").map((b) => b.id)).toEqual([g]);
    const toHost = shut.wires.filter((w) => w.kind === "veth" && w.boxA !== w.boxB && [w.boxA, w.boxB].includes(g));
    expect(toHost.map((w) => w.count).sort()).toEqual([1, 6]);
    const host = shut.boxes.find((b) => b.id === "net:100");
    expect(host?.kind === "stack" && host.stack.ports.map((p) => p.name)).toEqual(["6 ports → web", "veth0"]);
  });

  it("300 stacks grouped and collapsed make a handful of boxes, the host one row per group", () => {
    const big = buildWiring(star(300));
    const g = groupId("prefix", "web");
    const scene = buildScene(big, { ...none, groupBy: "prefix", collapsed: new Set([g]) });
    expect(scene.boxes.length).toBeLessThanOrEqual(6);
    const host = scene.boxes.find((b) => b.id === "net:100");
    expect(host?.kind === "stack" && host.stack.ports.length).toBe(2);
    expect(scene.wires.find((w) => w.kind === "veth" && w.count === 300)?.label).toBe("300 veth pairs");
  });
});
