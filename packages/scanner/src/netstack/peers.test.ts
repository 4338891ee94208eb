import type { RawLink } from "@nsatlas/native";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rawLink, veth } from "../__fixtures__/raw-netstack.js";
import { type AskNsids, resolveWiring } from "./peers.js";

/** Answers nsid questions from a table: nsids[from][target]. */
function askFrom(nsids: Record<number, Record<number, number>>): AskNsids & { asked: string[] } {
  const asked: string[] = [];
  const ask = (pairs: ReadonlyArray<readonly [number, number]>) => {
    const out = new Map<string, number>();
    for (const [from, target] of pairs) {
      asked.push(`${from}:${target}`);
      const nsid = nsids[from]?.[target];
      if (nsid !== undefined) out.set(`${from}:${target}`, nsid);
    }
    return out;
  };
  return Object.assign(ask, { asked });
}

const stacks = (...links: RawLink[][]) => links.map((l) => ({ links: l }));

describe("resolveWiring", () => {
  it("pairs a veth with the one link that points back, without asking", () => {
    const ask = askFrom({});
    const w = resolveWiring(stacks([rawLink(1, "lo"), veth(7, "vethA", 2, 0)], [veth(2, "eth0", 7, 0)]), ask);
    expect(w.peers.get("0:1")).toEqual({ stack: 1, link: 0 });
    expect(w.peers.get("1:0")).toEqual({ stack: 0, link: 1 });
    expect(w.linkStacks.get("0:1")).toBe(1);
    expect(ask.asked).toEqual([]);
  });

  it("tells apart stacks that repeat the same ifindex pair by asking for nsids", () => {
    // Stacks 1 and 2 both have ifindex 2 peering ifindex 5 in "their" other stack; stack 0 has
    // ifindex 5 in both pairs' role: 0:5 <-> 1:2 (nsid 3 in stack 0) and 3:5 <-> 2:2.
    const world = stacks(
      [veth(5, "toB", 2, 3)],
      [veth(2, "eth0", 5, 0)],
      [veth(2, "eth0", 5, 0)],
      [veth(5, "toC", 2, 1)],
    );
    const ask = askFrom({ 0: { 1: 3, 2: 4 }, 1: { 0: 0, 3: 5 }, 2: { 0: 9, 3: 0 }, 3: { 1: 7, 2: 1 } });
    const w = resolveWiring(world, ask);
    expect(w.peers.get("0:0")).toEqual({ stack: 1, link: 0 });
    expect(w.peers.get("1:0")).toEqual({ stack: 0, link: 0 });
    expect(w.peers.get("2:0")).toEqual({ stack: 3, link: 0 });
    expect(w.peers.get("3:0")).toEqual({ stack: 2, link: 0 });
    expect(ask.asked.sort()).toEqual(["0:1", "0:2", "1:0", "1:3", "2:0", "2:3", "3:1", "3:2"]);
    expect(w.unreachable).toEqual([]);
  });

  it("resolves a veth with both ends in one stack locally", () => {
    const w = resolveWiring(stacks([veth(3, "x1", 4, null), veth(4, "x2", 3, null)]), askFrom({}));
    expect(w.peers.get("0:0")).toEqual({ stack: 0, link: 1 });
    expect(w.linkStacks.size).toBe(0);
  });

  it("reports a veth whose peer is in no visible stack", () => {
    const w = resolveWiring(stacks([veth(9, "lost", 2, 5)], [rawLink(2, "eth0")]), askFrom({}));
    expect(w.unreachable).toEqual([{ stack: 0, link: 0 }]);
    expect(w.peers.size).toBe(0);
  });

  it("maps lower devices in other stacks through the nsids its veths taught, else by asking", () => {
    const macvlan = rawLink(4, "mv0", { kind: "macvlan", link: 2, linkNetnsid: 0 });
    const vlan = rawLink(5, "vl0", { kind: "vlan", link: 3, linkNetnsid: 1 });
    const w = resolveWiring(
      stacks([veth(2, "eth0", 9, 0), macvlan, vlan], [veth(9, "v", 2, 0), rawLink(2, "nic")], [rawLink(3, "nic2")]),
      askFrom({ 0: { 2: 1 } }),
    );
    expect(w.linkStacks.get("0:1")).toBe(1);
    expect(w.linkStacks.get("0:2")).toBe(2);
  });

  it("finds every true peer in random worlds where ifindexes and nsids repeat", () => {
    const world = fc
      .record({
        stackCount: fc.integer({ min: 1, max: 6 }),
        pairs: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
        seed: fc.integer(),
      })
      .map(({ stackCount, pairs, seed }) => {
        // ifindexes are small and reused (every stack counts from 2); nsids are per stack.
        const links: RawLink[][] = Array.from({ length: stackCount }, () => []);
        const next = Array.from({ length: stackCount }, () => 2);
        const nsid = (from: number, to: number) => (to * 7 + from * 3 + seed) & 0xf;
        const truth: Array<[string, string]> = [];
        for (const [x, y] of pairs) {
          const s = x % stackCount;
          const t = y % stackCount;
          const i = next[s] ?? 2;
          next[s] = i + 1;
          const j = next[t] ?? 2;
          next[t] = j + 1;
          const cross = s !== t;
          const here = `${s}:${links[s]?.length}`;
          links[s]?.push(veth(i, `v${i}`, j, cross ? nsid(s, t) : null));
          const there = `${t}:${links[t]?.length}`;
          links[t]?.push(veth(j, `v${j}`, i, cross ? nsid(t, s) : null));
          truth.push([here, there]);
        }
        return { links, truth, nsid };
      });
    fc.assert(
      fc.property(world, ({ links, truth, nsid }) => {
        const ask: AskNsids = (pairs) => new Map(pairs.map(([f, t]) => [`${f}:${t}`, nsid(f, t)]));
        const w = resolveWiring(stacks(...links), ask);
        const key = (e: { stack: number; link: number } | undefined) => (e ? `${e.stack}:${e.link}` : "none");
        for (const [a, b] of truth) {
          expect(key(w.peers.get(a))).toBe(b);
          expect(key(w.peers.get(b))).toBe(a);
        }
        expect(w.unreachable).toEqual([]);
      }),
    );
  });
});
