import { STALE_AFTER_MS } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { type FleetEvent, FleetStore, type MirroredHost } from "./fleet-store.js";
import { testInventory, testNamespace } from "./test-inventory.js";

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

function setup() {
  let now = 1_000_000;
  const closed: Array<[number, number]> = [];
  const fleet = new FleetStore({ now: () => now, closeSession: (id, code) => closed.push([id, code]) });
  const events: FleetEvent[] = [];
  fleet.subscribe((e) => events.push(e));
  return { fleet, events, closed, advance: (ms: number) => (now += ms) };
}

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
