import { describe, expect, it } from "vitest";
import { internInventory, internProcess } from "./intern.js";
import { testInventory, testProcess } from "./test-inventory.js";

describe("interning", () => {
  it("shares equal inode sets between processes (and hosts), leaving values as they were", () => {
    const [a, b] = [internProcess(testProcess(1)), internProcess(testProcess(2))];
    expect(a.ns).toBe(b.ns);
    expect(a.nsForChildren).toBe(b.nsForChildren);
    const elsewhere = internProcess(testProcess(3, 4026532999));
    expect(elsewhere.ns).not.toBe(a.ns);
    expect(elsewhere.ns.net).toBe(4026532999);
  });

  it("shares one process holder per pid across the namespaces of an inventory", () => {
    const inv = testInventory([1, 2]);
    inv.namespaces.push({
      ...structuredClone(inv.namespaces[0]),
      id: "uts:4026531838",
      type: "uts",
      inode: 4026531838,
    } as (typeof inv.namespaces)[0]);
    const before = structuredClone(inv);
    internInventory(inv);
    expect(inv).toEqual(before);
    expect(inv.namespaces[0]?.holders[0]).toBe(inv.namespaces.at(-1)?.holders[0]);
  });
});
