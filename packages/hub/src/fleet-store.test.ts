import { type HelloFrame, STALE_AFTER_MS } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { HubFrameError } from "./errors.js";
import { type FleetEvent, FleetStore, type MirroredHost } from "./fleet-store.js";
import { testInventory, testNamespace } from "./test-inventory.js";

const hello = (agentId = "a1"): HelloFrame => ({
  type: "hello",
  protocol: 1,
  agentId,
  hostname: "h1",
  bootId: "b",
  version: "0.1.0",
  readOnly: false,
  capabilities: [],
});

function setup() {
  let now = 1_000_000;
  const closed: Array<[number, number]> = [];
  const fleet = new FleetStore({ now: () => now, closeSession: (id, code) => closed.push([id, code]) });
  const events: FleetEvent[] = [];
  fleet.subscribe((e) => events.push(e));
  return { fleet, events, closed, advance: (ms: number) => (now += ms) };
}

describe("FleetStore", () => {
  it("builds a host from hello + snapshot and applies sequenced deltas", () => {
    const { fleet, events } = setup();
    const s = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    expect(fleet.receive(s, hello())).toEqual([]);
    expect(fleet.receive(s, { type: "snapshot", epoch: "e1", seq: 1, inventory: testInventory([1]) })).toEqual([
      { type: "ack", epoch: "e1", seq: 1 },
    ]);
    const blue = testNamespace(4026532000, [], ["blue"]);
    fleet.receive(s, { type: "delta", epoch: "e1", seq: 2, baseSeq: 1, changes: { namespaces: { upsert: [blue] } } });
    expect(fleet.host("a1")?.inventory?.namespaces.map((n) => n.id)).toEqual(["net:4026531833", "net:4026532000"]);
    expect(fleet.stateOf(fleet.host("a1") as never)).toBe("connected");
    expect(events.map((e) => e.kind)).toEqual(["state", "inventory", "inventory"]);
  });

  it("answers a delta of an unknown epoch or with a seq gap with resync, changing nothing", () => {
    const { fleet } = setup();
    const s = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    fleet.receive(s, hello());
    fleet.receive(s, { type: "snapshot", epoch: "e1", seq: 1, inventory: testInventory([1]) });
    const before = fleet.host("a1")?.inventory;
    const gap = fleet.receive(s, { type: "delta", epoch: "e1", seq: 5, baseSeq: 4, changes: { warnings: ["x"] } });
    expect(gap[0]?.type).toBe("resync");
    const epoch = fleet.receive(s, { type: "delta", epoch: "e0", seq: 2, baseSeq: 1, changes: { warnings: ["x"] } });
    expect(epoch[0]?.type).toBe("resync");
    expect(fleet.host("a1")?.inventory).toBe(before);
  });

  it("refuses a hello whose agentId differs from the token's (4403) and frames before hello (4400)", () => {
    const { fleet } = setup();
    const s = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    expect(() => fleet.receive(s, { type: "heartbeat", seq: 0 })).toThrow(HubFrameError);
    try {
      fleet.receive(s, hello("other"));
    } catch (err) {
      expect((err as HubFrameError).closeCode).toBe(4403);
    }
    expect(fleet.host("other")).toBeUndefined();
  });

  it("lets a fleet-token agent declare its id", () => {
    const { fleet } = setup();
    const s = fleet.openSession({ kind: "fleet-token" });
    fleet.receive(s, hello("self-declared"));
    expect(fleet.host("self-declared")?.credential).toBe("fleet-token");
  });

  it.each(["agent-token", "local"] as const)(
    "refuses a fleet-token agent the id of a host bound to %s (4403)",
    (kind) => {
      const { fleet, closed } = setup();
      const bound = fleet.openSession({ kind, agentId: "a1" });
      fleet.receive(bound, hello("a1"));
      fleet.receive(bound, { type: "snapshot", epoch: "e1", seq: 1, inventory: testInventory([1]) });
      const forged = fleet.openSession({ kind: "fleet-token" });
      const refusal = (() => {
        try {
          fleet.receive(forged, hello("a1"));
          return null;
        } catch (err) {
          return err as HubFrameError;
        }
      })();
      expect(refusal?.closeCode).toBe(4403);
      expect(closed).toEqual([]);
      expect(fleet.host("a1")?.sessionId).toBe(bound.id);
      expect(fleet.host("a1")?.credential).toBe(kind);
      // Disconnected, the bound id stays bound.
      fleet.closeSession(bound);
      expect(() => fleet.receive(fleet.openSession({ kind: "fleet-token" }), hello("a1"))).toThrow(HubFrameError);
    },
  );

  it("turns a silent host stale after 15 s and connected again on its next frame", () => {
    const { fleet, events, advance } = setup();
    const s = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    fleet.receive(s, hello());
    advance(14_000);
    fleet.tick();
    expect(fleet.stateOf(fleet.host("a1") as never)).toBe("connected");
    advance(1_001);
    fleet.tick();
    expect(events.at(-1)).toEqual({ kind: "state", hostId: "a1", state: "stale" });
    fleet.receive(s, { type: "heartbeat", seq: 0 });
    expect(events.at(-1)).toEqual({ kind: "state", hostId: "a1", state: "connected" });
  });

  it("ignores an old socket closing after the agent reconnected, and closes the replaced one", () => {
    const { fleet, closed } = setup();
    const old = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    fleet.receive(old, hello());
    const fresh = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    fleet.receive(fresh, hello());
    expect(closed).toEqual([[old.id, 4409]]);
    fleet.closeSession(old);
    expect(fleet.stateOf(fleet.host("a1") as never)).toBe("connected");
    fleet.closeSession(fresh);
    expect(fleet.stateOf(fleet.host("a1") as never)).toBe("stale");
  });

  it("keeps a disconnected host listed with its last inventory until removed", () => {
    const { fleet } = setup();
    const s = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    fleet.receive(s, hello());
    fleet.receive(s, { type: "snapshot", epoch: "e1", seq: 1, inventory: testInventory([1, 2]) });
    fleet.closeSession(s);
    expect(fleet.host("a1")?.inventory?.processes).toHaveLength(2);
    expect(fleet.remove("a1")).toBe(true);
    expect(fleet.hosts()).toEqual([]);
  });
});

const meta = (id = "m1"): MirroredHost => ({
  id,
  hostname: "far",
  bootId: "b",
  agentVersion: "0.1.0",
  readOnly: false,
  labels: { zone: "eu" },
  capabilities: [],
  credential: "agent-token",
  connectedAt: 1,
});

describe("FleetStore mirrors of hosts held by another replica", () => {
  it("shows a mirrored host with its inventory, connected, and applies its replica's deltas in order", () => {
    const { fleet, events } = setup();
    fleet.mirrorHost("r2", meta(), "e1", 5, testInventory([1]));
    const h = fleet.host("m1");
    expect(h?.replica).toBe("r2");
    expect(fleet.stateOf(h as never)).toBe("connected");
    expect(fleet.localHostIds()).toEqual([]);
    const blue = testNamespace(4026532000, [], ["blue"]);
    expect(fleet.mirrorDelta("r2", "m1", "e1", 5, 6, { namespaces: { upsert: [blue] } })).toBe(true);
    expect(fleet.host("m1")?.inventory?.namespaces.map((n) => n.id)).toContain("net:4026532000");
    // A gap, another epoch or another replica's word is refused: the bus asks again.
    expect(fleet.mirrorDelta("r2", "m1", "e1", 5, 7, {})).toBe(false);
    expect(fleet.mirrorDelta("r2", "m1", "e2", 6, 7, {})).toBe(false);
    expect(fleet.mirrorDelta("r3", "m1", "e1", 6, 7, {})).toBe(false);
    expect(events.map((e) => e.kind)).toEqual(["inventory", "state", "inventory"]);
  });

  it("goes stale when its replica stops vouching for it, and back when it does again", () => {
    const { fleet, events, advance } = setup();
    fleet.mirrorHost("r2", meta(), "e1", 1, testInventory([1]));
    advance(STALE_AFTER_MS - 1000);
    fleet.mirrorState("r2", "m1", true);
    advance(STALE_AFTER_MS - 1000);
    fleet.tick();
    expect(fleet.stateOf(fleet.host("m1") as never)).toBe("connected");
    advance(2000);
    fleet.tick();
    expect(fleet.stateOf(fleet.host("m1") as never)).toBe("stale");
    fleet.mirrorState("r2", "m1", true);
    expect(events.filter((e) => e.kind === "state").map((e) => (e as { state: string }).state)).toEqual([
      "connected",
      "stale",
      "connected",
    ]);
    fleet.mirrorState("r2", "m1", false);
    expect(fleet.stateOf(fleet.host("m1") as never)).toBe("stale");
  });

  it("displaces a local session of the host (4409) when another replica publishes its hello", () => {
    const { fleet, closed } = setup();
    const s = fleet.openSession({ kind: "agent-token", agentId: "m1" });
    fleet.receive(s, {
      type: "hello",
      protocol: 1,
      agentId: "m1",
      hostname: "near",
      bootId: "b",
      version: "0.1.0",
      readOnly: false,
      capabilities: [],
    });
    expect(fleet.localHostIds()).toEqual(["m1"]);
    fleet.mirrorHost("r2", meta(), "e1", 1, testInventory([1]));
    expect(closed).toEqual([[s.id, 4409]]);
    expect(fleet.host("m1")?.replica).toBe("r2");
    // The displaced socket closing afterwards changes nothing.
    fleet.closeSession(s);
    expect(fleet.stateOf(fleet.host("m1") as never)).toBe("connected");
  });
});
