import type { HelloFrame } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { HubFrameError } from "./errors.js";
import { type FleetEvent, FleetStore } from "./fleet-store.js";
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
