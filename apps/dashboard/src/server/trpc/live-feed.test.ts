import { FleetStore } from "@nsatlas/hub";
import { initialStackInventory, sampleProcess } from "@nsatlas/test-world";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LiveFeed, liveEventId, parseLiveEventId } from "./live-feed.js";

function host(id = "h1") {
  let now = 1_000_000;
  const fleet = new FleetStore({ now: () => now });
  const s = fleet.openSession({ kind: "agent-token", agentId: id });
  fleet.receive(s, {
    type: "hello",
    protocol: 1,
    agentId: id,
    hostname: id,
    bootId: "b",
    version: "0.1.0",
    readOnly: false,
    capabilities: [],
  });
  fleet.receive(s, { type: "snapshot", epoch: "e1", seq: 1, inventory: initialStackInventory(3) });
  let seq = 1;
  const delta = (pid: number) => {
    fleet.receive(s, {
      type: "delta",
      epoch: "e1",
      seq: seq + 1,
      baseSeq: seq,
      changes: { processes: { upsert: [sampleProcess(pid)] } },
    });
    seq += 1;
  };
  return { fleet, delta, advance: (ms: number) => (now += ms) };
}

/** Everything a feed has pending, as [tracked id, kind]. */
function drain(feed: LiveFeed): Array<[string | null, string]> {
  const out: Array<[string | null, string]> = [];
  for (let item = feed.next(); item !== undefined; item = feed.next()) if (item) out.push([item.id, item.event.kind]);
  return out;
}

describe("LiveFeed for a shown host", () => {
  it("sends each delta as a change tracked by hostId/epoch/seq", () => {
    const { fleet, delta } = host();
    const feed = new LiveFeed(fleet, ["h1"]);
    const off = fleet.subscribe((e) => feed.offer(e));
    feed.start("h1/e1/1");
    delta(10);
    delta(11);
    off();
    expect(drain(feed)).toEqual([
      ["h1/e1/2", "changes"],
      ["h1/e1/3", "changes"],
    ]);
  });

  it("resumes from a kept position with what followed it, and starts from a snapshot otherwise", () => {
    const { fleet, delta } = host();
    delta(10);
    delta(11);
    const resumed = new LiveFeed(fleet, ["h1"]);
    resumed.start("h1/e1/2");
    expect(drain(resumed)).toEqual([["h1/e1/3", "changes"]]);
    for (const id of [undefined, "h1/e0/2", "h1/e1/0", "h1/e1/99", "other/e1/2", "garbage"]) {
      const fresh = new LiveFeed(fleet, ["h1"]);
      fresh.start(id);
      expect(drain(fresh), String(id)).toEqual([["h1/e1/3", "snapshot"]]);
    }
  });

  it("tracks a state change by the position the tab reached, so a resume does not lose its place", () => {
    const { fleet, advance } = host();
    const feed = new LiveFeed(fleet, ["h1"]);
    fleet.subscribe((e) => feed.offer(e));
    advance(60_000);
    fleet.tick();
    expect(drain(feed)).toEqual([["h1/e1/1", "summary"]]);
  });

  it("turns a backlog of a slow tab into one snapshot, taken when it is sent", () => {
    const { fleet, delta } = host();
    const feed = new LiveFeed(fleet, ["h1"]);
    fleet.subscribe((e) => feed.offer(e));
    for (let pid = 100; pid < 400; pid++) delta(pid);
    const sent = drain(feed);
    expect(sent.at(-1)).toEqual(["h1/e1/301", "snapshot"]);
    expect(sent.length).toBeLessThan(260);
    expect(feed.size).toBe(0);
  });

  it("ignores hosts it does not show", () => {
    const { fleet, delta } = host();
    const feed = new LiveFeed(fleet, ["someone-else"]);
    fleet.subscribe((e) => feed.offer(e));
    feed.start(undefined);
    delta(10);
    expect(drain(feed)).toEqual([]);
  });
});

describe("LiveFeed for the hosts list", () => {
  it("sends summaries only, one per host however many changes are pending, untracked", () => {
    const { fleet, delta } = host();
    const feed = new LiveFeed(fleet, null);
    fleet.subscribe((e) => feed.offer(e));
    feed.start(undefined);
    delta(10);
    delta(11);
    expect(drain(feed)).toEqual([[null, "summary"]]);
    fleet.remove("h1");
    expect(drain(feed)).toEqual([[null, "removed"]]);
  });
});

describe("live event ids", () => {
  it("read back what they were written from, and anything else is no position, never a throw", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/), fc.string({ minLength: 1 }), fc.nat(), (h, e, s) => {
        expect(parseLiveEventId(liveEventId(h, e, s))).toEqual({ hostId: h, epoch: e, seq: s });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const p = parseLiveEventId(text);
        if (p) expect(Number.isSafeInteger(p.seq)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
