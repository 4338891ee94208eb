import { describe, expect, it } from "vitest";
import { DOCKER_A, smallInventory } from "./__fixtures__/small-inventory";
import { namespaceRows, namespaceTree } from "./namespace-rows";
import { shareMatrix, sharers } from "./share-matrix";
import { buildStackCards, facetsOf, filterCards, matchesFacets, sortByGroup } from "./stack-cards";

describe("stack cards", () => {
  const cards = buildStackCards(smallInventory());

  it("orders initial, named, then unnamed stacks, with titles people read", () => {
    expect(cards.map((c) => c.title)).toEqual(["initial", "blue", "unnamed (fd 5 of pid 10)"]);
  });

  it("says why each stack is alive", () => {
    expect(cards[1]?.reasons.map((r) => r.text)).toEqual(["2 processes", "pinned at /run/netns/blue"]);
    expect(cards[2]?.reasons.map((r) => r.text)).toEqual(["open fd 5 of 10 (sshd)"]);
    expect(cards[2]?.findings.map((f) => f.code)).toEqual(["leaked-stack"]);
  });

  it("groups processes by container, and kernel threads together", () => {
    expect(cards[1]?.groups).toEqual([
      {
        label: "docker aaaaaaaaaaaa",
        container: true,
        kind: "container",
        pids: [20, 21],
        commands: ["nginx 20", "nginx 21"],
      },
    ]);
    expect(cards[0]?.groups.map((g) => g.label)).toEqual(["kernel threads", "sshd"]);
  });

  it("names a stack after its pod and groups by pod, then container; URL facets filter", () => {
    const inv = smallInventory();
    const pod = { name: "web-0", namespace: "shop", uid: "u1" };
    inv.processes = inv.processes.map((p) =>
      p.pid === 20
        ? { ...p, container: { ...(p.container ?? DOCKER_A), name: "web", image: "nginx:1", pod } }
        : p.pid === 21
          ? { ...p, container: { ...(p.container ?? DOCKER_A), id: "b".repeat(64), name: "side", image: "envoy:1" } }
          : p,
    );
    const named = buildStackCards(inv);
    const blue = named.find((c) => c.id === "net:200");
    expect(blue?.title).toBe("blue"); // a netns name comes first
    expect(blue?.groups.map((g) => [g.kind, g.label])).toEqual([
      ["pod", "pod shop/web-0"],
      ["container", "container side"],
    ]);
    expect(filterCards(named, "", { image: "envoy" }).map((c) => c.id)).toEqual(["net:200"]);
    expect(filterCards(named, "", { pod: "shop/web" }).map((c) => c.id)).toEqual(["net:200"]);
    expect(filterCards(named, "", { container: "nope" })).toEqual([]);
    // The processes view: the same groups, in the same order, and the same facets.
    expect(sortByGroup(inv.processes).map((p) => p.pid)).toEqual([20, 21, 2, 11, 10]);
    expect(inv.processes.filter((p) => matchesFacets(facetsOf([p]), { image: "nginx" })).map((p) => p.pid)).toEqual([
      20,
    ]);
  });

  it("filters on names, processes, addresses and ports", () => {
    expect(filterCards(cards, "10.0.0.2").map((c) => c.title)).toEqual(["blue"]);
    expect(filterCards(cards, ":22").map((c) => c.title)).toEqual(["initial"]);
    expect(filterCards(cards, "nginx blue").map((c) => c.title)).toEqual(["blue"]);
    expect(filterCards(cards, "")).toHaveLength(3);
  });
});

describe("namespace table and trees", () => {
  it("counts processes and other holders per namespace", () => {
    const rows = namespaceRows(smallInventory(), "net");
    expect(rows.map((r) => [r.id, r.processCount, r.holderCounts])).toEqual([
      ["net:100", 3, {}],
      ["net:200", 2, { bindmount: 1 }],
      ["net:300", 0, { fd: 1 }],
    ]);
    expect(rows[0]?.command).toBe("[kthreadd]");
  });

  it("nests user namespaces by parent, including ones no process holds", () => {
    expect(namespaceTree(smallInventory(), "user").map((t) => [t.ns.id, t.depth])).toEqual([
      ["user:7", 0],
      ["user:70", 1],
      ["user:71", 2],
    ]);
  });
});

describe("share matrix", () => {
  it("colours equal namespaces alike and leaves initial ones neutral", () => {
    const inv = smallInventory();
    const initial = new Map(inv.namespaces.filter((n) => n.initial).map((n) => [n.type, n.inode]));
    const m = shareMatrix(
      inv.processes.filter((p) => [10, 20, 21].includes(p.pid)),
      initial,
    );
    const net = m.types.indexOf("net");
    const user = m.types.indexOf("user");
    expect(m.rows.map((r) => r.cells[net]?.colour)).toEqual([-1, 0, 0]);
    expect(m.rows.map((r) => r.cells[user]?.colour)).toEqual([-1, -1, 0]);
  });

  it("lists who else shares each namespace", () => {
    const inv = smallInventory();
    const p20 = inv.processes.find((p) => p.pid === 20);
    if (!p20) throw new Error("fixture");
    expect(sharers(p20, inv.processes).net).toEqual([21]);
  });
});
