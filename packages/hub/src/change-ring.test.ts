import type { HelloFrame } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { ChangeRing } from "./change-ring.js";
import { FleetStore } from "./fleet-store.js";
import { testInventory } from "./test-inventory.js";

const change = (seq: number, upserts = 0) => ({
  epoch: "e1",
  baseSeq: seq - 1,
  seq,
  changes: { warnings: [`w${seq}`], processes: { remove: Array.from({ length: upserts }, (_, i) => i + 1) } },
  at: seq,
});
const seqs = (c: ReturnType<ChangeRing["since"]>) => c?.map((x) => x.seq) ?? null;

describe("ChangeRing", () => {
  it("gives what followed a position of its epoch, [] at the head, null for another epoch or a future seq", () => {
    const ring = new ChangeRing({ changes: 10, items: 1000 });
    ring.reset("h", "e1", 1);
    for (const s of [2, 3, 4]) ring.push("h", change(s));
    expect(seqs(ring.since("h", "e1", 1))).toEqual([2, 3, 4]);
    expect(seqs(ring.since("h", "e1", 3))).toEqual([4]);
    expect(seqs(ring.since("h", "e1", 4))).toEqual([]);
    expect(ring.since("h", "e0", 3)).toBeNull();
    expect(ring.since("h", "e1", 9)).toBeNull();
    expect(ring.since("other", "e1", 1)).toBeNull();
  });

  it("forgets the oldest changes past its count or item bound, and then refuses positions before them", () => {
    const ring = new ChangeRing({ changes: 3, items: 1000 });
    ring.reset("h", "e1", 1);
    for (let s = 2; s <= 6; s++) ring.push("h", change(s));
    expect(ring.since("h", "e1", 2)).toBeNull();
    expect(seqs(ring.since("h", "e1", 3))).toEqual([4, 5, 6]);
    const small = new ChangeRing({ changes: 100, items: 50 });
    small.reset("h", "e1", 1);
    small.push("h", change(2, 30));
    small.push("h", change(3, 30));
    expect(small.since("h", "e1", 1)).toBeNull();
    expect(seqs(small.since("h", "e1", 2))).toEqual([3]);
  });

  it("starts over at a snapshot", () => {
    const ring = new ChangeRing();
    ring.reset("h", "e1", 1);
    ring.push("h", change(2));
    ring.reset("h", "e2", 1);
    expect(ring.since("h", "e1", 1)).toBeNull();
    expect(ring.since("h", "e2", 1)).toEqual([]);
  });
});

describe("FleetStore.changesSince", () => {
  const hello: HelloFrame = {
    type: "hello",
    protocol: 1,
    agentId: "a1",
    hostname: "h1",
    bootId: "b",
    version: "0.1.0",
    readOnly: false,
    capabilities: [],
  };

  it("keeps the deltas it applied, with their positions, until the next snapshot", () => {
    const fleet = new FleetStore();
    const s = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    fleet.receive(s, hello);
    fleet.receive(s, { type: "snapshot", epoch: "e1", seq: 1, inventory: testInventory([1]) });
    fleet.receive(s, { type: "delta", epoch: "e1", seq: 2, baseSeq: 1, changes: { warnings: ["x"] } });
    fleet.receive(s, { type: "delta", epoch: "e1", seq: 9, baseSeq: 1, changes: { warnings: ["refused"] } });
    expect(fleet.changesSince("a1", "e1", 1)?.map((c) => [c.baseSeq, c.seq, c.changes])).toEqual([
      [1, 2, { warnings: ["x"] }],
    ]);
    fleet.receive(s, { type: "snapshot", epoch: "e2", seq: 1, inventory: testInventory([1]) });
    expect(fleet.changesSince("a1", "e1", 1)).toBeNull();
    expect(fleet.remove("a1")).toBe(true);
    expect(fleet.changesSince("a1", "e2", 1)).toBeNull();
  });
});
