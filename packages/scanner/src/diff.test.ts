import { fileURLToPath } from "node:url";
import type { Inventory } from "@nsatlas/protocol";
import { diffInventory } from "@nsatlas/protocol/change-codec";
import { describe, expect, it } from "vitest";
import { fixtureDescribe } from "./__fixtures__/fixture-describe.js";
import { scan } from "./scan.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const base = scan({
  procRoot: fixture("proc-basic"),
  netnsDir: fixture("netns-basic"),
  passwdPath: fixture("passwd"),
  euid: 0,
  describe: fixtureDescribe,
});
const withState = (inv: Inventory, pid: number, state: string): Inventory => ({
  ...inv,
  processes: inv.processes.map((p) => (p.pid === pid ? { ...p, state } : p)),
});

describe("diffInventory on scans of a fixture tree", () => {
  it("sends no delta when a process only went from sleeping to running", () => {
    expect(diffInventory(withState(base, 523, "S"), withState(base, 523, "R"))).toBeNull();
  });

  it("sends the process again when it stops or dies", () => {
    for (const state of ["T", "Z"]) {
      const changes = diffInventory(withState(base, 523, "S"), withState(base, 523, state));
      expect(changes?.processes?.upsert?.map((p) => [p.pid, p.state])).toEqual([[523, state]]);
    }
  });
});
