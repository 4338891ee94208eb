import type { InventoryChanges, Namespace } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { filterChanges } from "./type-filter.js";

const ns = (type: "net" | "user", inode: number): Namespace => ({
  id: `${type}:${inode}`,
  type,
  inode,
  initial: false,
  names: [],
  pids: [],
  holders: [],
  owner: null,
});

describe("filterChanges (scan --watch --type)", () => {
  it("keeps only namespace changes of the asked types, and the rest of the delta", () => {
    const changes: InventoryChanges = {
      namespaces: { upsert: [ns("net", 1), ns("user", 2)], remove: ["user:3", "net:4"] },
      warnings: ["w"],
    };
    expect(filterChanges(changes, ["net"])).toEqual({
      namespaces: { upsert: [ns("net", 1)], remove: ["net:4"] },
      warnings: ["w"],
    });
    expect(filterChanges(changes, null)).toBe(changes);
  });

  it("drops a delta that held nothing but namespaces of other types", () => {
    expect(filterChanges({ namespaces: { upsert: [ns("user", 2)] } }, ["net"])).toBeNull();
  });
});
