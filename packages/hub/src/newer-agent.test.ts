import { AgentFrame } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { FleetStore } from "./fleet-store.js";
import { testInventory, testNewerInventory } from "./test-inventory.js";

// A newer agent's snapshot, as the /agent socket receives it: JSON text, parsed at the edge.
const newerSnapshot = () => ({ type: "snapshot", epoch: "e1", seq: 1, inventory: testNewerInventory() });

describe("an older hub and a newer agent", () => {
  it("accepts unknown finding codes and container runtimes as strings, and null links", () => {
    const parsed = AgentFrame.safeParse(JSON.parse(JSON.stringify(newerSnapshot())));
    expect(parsed.error?.issues.slice(0, 3)).toBeUndefined();
    const fleet = new FleetStore();
    const session = fleet.openSession({ kind: "agent-token", agentId: "a1" });
    fleet.receive(session, {
      type: "hello",
      protocol: 1,
      agentId: "a1",
      hostname: "h1",
      bootId: "b",
      version: "9.9.9",
      readOnly: false,
      capabilities: [],
    });
    if (!parsed.success) throw new Error("unreachable: asserted above");
    expect(fleet.receive(session, parsed.data)).toEqual([{ type: "ack", epoch: "e1", seq: 1 }]);
    const inv = fleet.host("a1")?.inventory;
    expect(inv?.findings.map((f) => f.code)).toEqual(["some-future-code"]);
    expect(inv?.processes.map((p) => [p.pid, p.state, p.container?.runtime ?? null, p.ns.net])).toEqual([
      [1, "S", "kata-qemu", 4026531833],
      [2, "Z", null, null],
    ]);
  });

  it("still accepts an older agent's processes, without a state", () => {
    const parsed = AgentFrame.safeParse({ type: "snapshot", epoch: "e1", seq: 1, inventory: testInventory([1]) });
    expect(parsed.success).toBe(true);
  });
});
