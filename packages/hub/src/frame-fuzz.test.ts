import { AgentFrame, Inventory } from "@nsatlas/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HubFrameError } from "./errors.js";
import { FleetStore } from "./fleet-store.js";
import { testInventory, testNewerInventory } from "./test-inventory.js";

/** Frames shaped like the protocol's, with hostile values mixed in. */
const frameLike = fc.oneof(
  fc.record({
    type: fc.constant("hello"),
    protocol: fc.oneof(fc.constant(1), fc.integer()),
    agentId: fc.oneof(fc.constant("a1"), fc.string(), fc.constant("; rm -rf /"), fc.constant("../x")),
    hostname: fc.string(),
    bootId: fc.string(),
    version: fc.string(),
    readOnly: fc.boolean(),
    capabilities: fc.array(fc.string()),
  }),
  fc.record({
    type: fc.constant("snapshot"),
    epoch: fc.oneof(fc.constant("e1"), fc.string()),
    seq: fc.oneof(fc.nat(), fc.integer()),
    inventory: fc.oneof(fc.constant(testInventory([1, 2])), fc.constant(testNewerInventory()), fc.object()),
  }),
  fc.record({
    type: fc.constant("delta"),
    epoch: fc.oneof(fc.constant("e1"), fc.string()),
    seq: fc.integer({ min: -2, max: 50 }),
    baseSeq: fc.integer({ min: -2, max: 50 }),
    changes: fc.oneof(
      fc.constant({}),
      fc.record({ warnings: fc.array(fc.string()) }),
      fc.record({ processes: fc.record({ remove: fc.array(fc.integer()) }) }),
      fc.object(),
    ),
  }),
  fc.record({ type: fc.constant("heartbeat"), seq: fc.integer() }),
  fc.jsonValue(),
);

describe("hub frame handling under 10,000 generated frames", () => {
  it("never throws anything but HubFrameError, and keeps inventories schema-shaped", () => {
    const fleet = new FleetStore();
    let session = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    let handled = 0;
    let checked = 0;
    fc.assert(
      fc.property(frameLike, (raw) => {
        // Exactly what the /agent socket does: JSON text in, safeParse at the edge, then receive.
        const parsed = AgentFrame.safeParse(JSON.parse(JSON.stringify(raw)));
        if (!parsed.success) return;
        try {
          fleet.receive(session, parsed.data);
          handled += 1;
          // Whatever was accepted, the host's inventory is still one the schema accepts.
          const inv = fleet.host("a1")?.inventory;
          if (inv !== undefined && inv !== null) {
            expect(Inventory.safeParse(inv).error?.issues.slice(0, 3)).toBeUndefined();
            checked += 1;
          }
        } catch (err) {
          expect(err).toBeInstanceOf(HubFrameError);
          fleet.closeSession(session); // the server closes the socket; the agent reconnects
          session = fleet.openSession({ kind: "agent-token", agentId: "a1" });
        }
      }),
      { numRuns: 10_000 },
    );
    expect(handled).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(100);
  });
});
