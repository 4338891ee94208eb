import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crowdedNet, inventoryOf, inventoryPair, scanOf, sleeper } from "./__fixtures__/inventory-pairs.js";
import { applyChanges, diffInventory, stateClass } from "./change-codec.js";
import type { Inventory, Process } from "./inventory.js";

/** What the codec promises to carry: everything but the scan time of a change-less scan and
 * the state letter within its class (change-codec.ts, rules 2 and 5). */
const carried = (inv: Inventory) => ({
  ...inv,
  host: { ...inv.host, scannedAt: undefined },
  processes: inv.processes.map((p) => ({ ...p, state: stateClass(p.state) })),
});

// fast-check prints the seed and the path of a failing run; both replay it exactly.
const RUNS = { numRuns: 400 };
/** Hundreds of runs take seconds on a busy machine: no timing is asserted here. */
const PROPERTY_TIMEOUT_MS = 60_000;

describe("applyChanges(a, diffInventory(a, b))", () => {
  it(
    "equals b for generated pairs of scans",
    () => {
      fc.assert(
        fc.property(inventoryPair, (pair) => {
          const a = inventoryOf(pair, "a");
          const b = inventoryOf(pair, "b");
          const changes = diffInventory(a, b);
          const applied = changes ? applyChanges(a, changes) : a;
          expect(carried(applied)).toEqual(carried(b));
          if (changes) expect(applied.host).toEqual(b.host);
        }),
        RUNS,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "leaves a as it was and survives a trip through JSON (what crosses the wire)",
    () => {
      fc.assert(
        fc.property(inventoryPair, (pair) => {
          const a = inventoryOf(pair, "a");
          const before = structuredClone(a);
          const changes = diffInventory(a, inventoryOf(pair, "b"));
          if (!changes) return;
          const local = applyChanges(a, changes);
          expect(applyChanges(a, JSON.parse(JSON.stringify(changes)))).toEqual(local);
          expect(a).toEqual(before);
        }),
        RUNS,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "chains: a then b then c arrives at c",
    () => {
      fc.assert(
        fc.property(inventoryPair, inventoryPair, (p1, p2) => {
          const [a, b, c] = [inventoryOf(p1, "a"), inventoryOf(p1, "b"), inventoryOf(p2, "b")];
          const step = (from: Inventory, to: Inventory) => {
            const changes = diffInventory(from, to);
            return changes ? applyChanges(from, changes) : from;
          };
          expect(carried(step(step(a, b), c))).toEqual(carried(c));
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

const proc = (pid: number, over: Partial<Process> = {}): Process => ({ ...sleeper(pid), ...over });
/** pids in one initial net namespace, membership listed as a scan does. */
const crowd = (pids: number[]): Inventory => scanOf(pids.map(sleeper), [crowdedNet(pids)]);

describe("diffInventory", () => {
  it("does not send membership: a process joining a crowded namespace is one small change", () => {
    const prev = crowd(Array.from({ length: 3000 }, (_, i) => i + 1));
    const next = crowd(Array.from({ length: 3001 }, (_, i) => i + 1));
    const changes = diffInventory(prev, next);
    expect(changes?.namespaces).toBeUndefined();
    expect(JSON.stringify(changes).length).toBeLessThan(1500);
    expect(applyChanges(prev, changes ?? {}).namespaces[0]?.pids).toHaveLength(3001);
  });

  it("sends nothing when a process only went from sleeping to running, and the process when it stops or dies", () => {
    const withState = (state: string) => ({ ...crowd([1, 2]), processes: [proc(1), proc(2, { state })] });
    expect(diffInventory(withState("S"), withState("R"))).toBeNull();
    for (const state of ["T", "Z"])
      expect(diffInventory(withState("S"), withState(state))?.processes?.upsert?.map((p) => p.state)).toEqual([state]);
  });
});

describe("applyChanges", () => {
  const pids = (inv: Inventory) => inv.processes.map((p) => p.pid);

  it("keeps pid order, lets an upsert win over a removal, and keeps unchanged objects", () => {
    const base = crowd([1, 5, 9]);
    const next = applyChanges(base, { processes: { upsert: [proc(7), proc(5), proc(12)], remove: [1, 5, 99] } });
    expect(pids(next)).toEqual([5, 7, 9, 12]);
    expect(next.processes[2]).toBe(base.processes[2]);
    expect(next.namespaces[0]?.pids).toEqual([5, 7, 9, 12]);
    expect(pids(base)).toEqual([1, 5, 9]);
    expect(applyChanges(base, {}).processes).toBe(base.processes);
    expect(applyChanges(base, { warnings: ["w"] }).namespaces).toBe(base.namespaces);
  });

  it("hands each process it takes from the change to adopt, and keeps what adopt returns", () => {
    const seen: number[] = [];
    const next = applyChanges(crowd([1]), { processes: { upsert: [proc(2)] } }, (p) => {
      seen.push(p.pid);
      return { ...p, comm: "adopted" };
    });
    expect(seen).toEqual([2]);
    expect(next.processes.map((p) => p.comm)).toEqual(["sleep", "adopted"]);
  });

  it("still applies on a base that is not in pid order", () => {
    const base = { ...crowd([]), processes: [proc(9), proc(3)] };
    expect(pids(applyChanges(base, { processes: { upsert: [proc(4)], remove: [9] } }))).toEqual([3, 4]);
  });
});
