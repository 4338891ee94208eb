import type { Inventory, Namespace } from "@nsatlas/protocol";
import { diffInventory } from "@nsatlas/scanner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyChanges } from "./apply-changes.js";
import { testInventory, testProcess } from "./test-inventory.js";

const STACKS = [4026531833, 4026532001, 4026532002, 4026532003];

/** An inventory whose net namespaces list exactly the processes in them, like a scan. */
function world(members: Array<[number, number]>, names: Record<number, string>, extraHolder: boolean): Inventory {
  const inv = testInventory([]);
  const sorted = [...new Map(members)].sort((a, b) => a[0] - b[0]);
  inv.processes = sorted.map(([pid, stack]) => testProcess(pid, STACKS[stack] ?? STACKS[0]));
  const stacks = new Set(inv.processes.map((p) => p.ns.net));
  if (extraHolder) stacks.add(STACKS[3] as number);
  inv.namespaces = [...stacks].sort().map((inode): Namespace => {
    const pids = inv.processes.filter((p) => p.ns.net === inode).map((p) => p.pid);
    if (inode === null) throw new Error("test inventories have no zombies");
    const holders: Namespace["holders"] = pids.map((pid) => ({ kind: "process", pid }));
    if (extraHolder && inode === STACKS[3]) holders.push({ kind: "bindmount", path: "/run/netns/x" });
    return {
      id: `net:${inode}`,
      type: "net",
      inode,
      initial: inode === STACKS[0],
      names: names[inode] ? [names[inode] as string] : [],
      pids,
      holders,
      owner: "user:4026531837",
    };
  });
  return inv;
}

const members = fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 3 })), { maxLength: 30 });
const names = fc.dictionary(fc.constantFrom(...STACKS.map(String)), fc.constantFrom("a", "b"));

describe("applyChanges", () => {
  it("turns the previous inventory into the next one for any diff, membership included", () => {
    fc.assert(
      fc.property(members, members, names, names, fc.boolean(), fc.boolean(), (a, b, na, nb, xa, xb) => {
        const prev = world(a, na as Record<number, string>, xa);
        const next = world(b, nb as Record<number, string>, xb);
        next.warnings = b.length % 2 ? ["odd"] : [];
        const changes = diffInventory(prev, next);
        const applied = changes ? applyChanges(prev, changes) : prev;
        expect(applied.processes).toEqual(next.processes);
        expect(applied.namespaces).toEqual(next.namespaces);
        expect(applied.warnings).toEqual(next.warnings);
      }),
      { numRuns: 500 },
    );
  });

  it("does not send membership: a process joining a crowded namespace is one small change", () => {
    const prev = world(
      Array.from({ length: 3000 }, (_, i) => [i + 1, 0] as [number, number]),
      {},
      false,
    );
    const next = world(
      Array.from({ length: 3001 }, (_, i) => [i + 1, 0] as [number, number]),
      {},
      false,
    );
    const changes = diffInventory(prev, next);
    expect(changes?.namespaces).toBeUndefined();
    expect(JSON.stringify(changes).length).toBeLessThan(1500);
    expect(applyChanges(prev, changes ?? {}).namespaces[0]?.pids).toHaveLength(3001);
  });
});

describe("applyChanges on processes", () => {
  const pids = (inv: Inventory) => inv.processes.map((p) => p.pid);

  it("keeps pid order, lets an upsert win over a removal, and keeps unchanged process objects", () => {
    const base = world(
      [
        [1, 0],
        [5, 0],
        [9, 1],
      ],
      {},
      false,
    );
    const next = applyChanges(base, {
      processes: { upsert: [testProcess(7), testProcess(5), testProcess(12)], remove: [1, 5, 99] },
    });
    expect(pids(next)).toEqual([5, 7, 9, 12]);
    expect(next.processes[2]).toBe(base.processes[2]);
    expect(next.namespaces.find((n) => n.initial)?.pids).toEqual([5, 7, 12]);
    expect(pids(base)).toEqual([1, 5, 9]);
    expect(applyChanges(base, {}).processes).toBe(base.processes);
  });

  it("still applies on a base that is not in pid order", () => {
    const base = testInventory([]);
    base.processes = [testProcess(9), testProcess(3)];
    expect(pids(applyChanges(base, { processes: { upsert: [testProcess(4)], remove: [9] } }))).toEqual([3, 4]);
  });
});

describe("applyChanges on containers", () => {
  const container = (id: string, name: string): Inventory["containers"][number] => ({
    id,
    engine: "docker",
    name,
    image: "busybox",
    state: "running",
    pid: null,
    pod: null,
    compose: null,
    labels: {},
    ns: null,
  });
  const ids = fc.uniqueArray(fc.constantFrom("a1", "b2", "c3", "d4", "e5"), { maxLength: 5 });

  it("carries containers by id: added, renamed and removed ones arrive as in the next scan", () => {
    fc.assert(
      fc.property(ids, ids, fc.constantFrom("web1", "web2"), (a, b, name) => {
        const prev = { ...testInventory([]), containers: [...a].sort().map((id) => container(id, "web1")) };
        const next = { ...testInventory([]), containers: [...b].sort().map((id) => container(id, name)) };
        const changes = diffInventory(prev, next);
        expect((changes ? applyChanges(prev, changes) : prev).containers).toEqual(next.containers);
      }),
      { numRuns: 300 },
    );
  });
});
