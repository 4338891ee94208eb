import type { Inventory, NetStack } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../database.js";
import { testLink } from "../test-host.js";
import { testInventory, testNamespace } from "../test-inventory.js";
import { HistoryStore } from "./history-store.js";

const T0 = Date.parse("2026-03-01T10:00:00Z");

function stack(ns: string, links: Array<[number, string, string[]]>): NetStack {
  const withPrefix = (addrs: string[]) => addrs.map((a) => `${a}/24`);
  return {
    ns,
    routes: [],
    listening: [],
    files: {},
    links: links.map(([i, name, a]) => testLink(i, name, "veth", withPrefix(a))),
  };
}

function world(names: string[], links: Array<[number, string, string[]]>): Inventory {
  const blue = testNamespace(4026532100, [], names);
  return { ...testInventory([1], [blue]), netstacks: [stack("net:4026532100", links)] };
}

describe("HistoryStore", () => {
  it("records appearances and disappearances and answers 'as of T', events and diffs", () => {
    const db = openDatabase(":memory:");
    const h = new HistoryStore(db, { retentionMs: 86_400_000, maxRowsPerHost: 1000 });
    h.record("h1", world(["blue"], [[2, "v0", ["10.0.0.1"]]]), T0);
    h.record("h1", world(["blue"], [[2, "v0", ["10.0.0.2"]]]), T0 + 60_000);
    h.record("h1", testInventory([1]), T0 + 120_000);

    const at = h.inventoryAt("h1", T0 + 30_000);
    expect(at.namespaces.find((n) => n.id === "net:4026532100")?.names).toEqual(["blue"]);
    expect(at.stacks[0]?.links[0]).toMatchObject({ name: "v0", addresses: [{ address: "10.0.0.1/24" }] });
    expect(h.inventoryAt("h1", T0 + 90_000).stacks[0]?.links[0]?.addresses.map((a) => a.address)).toEqual([
      "10.0.0.2/24",
    ]);
    expect(h.inventoryAt("h1", T0 + 130_000).stacks).toEqual([]);

    const { events } = h.events("h1", T0 + 1, T0 + 60_000, 100);
    expect(events.map((e) => `${e.change} ${e.kind}`)).toEqual(["appeared address", "disappeared address"]);
    const diff = h.diff("h1", T0 + 30_000, T0 + 150_000);
    expect(diff.appeared).toEqual([]);
    expect(diff.disappeared.map((d) => d.kind).sort()).toEqual(["address", "link", "name", "namespace", "stack"]);
    expect(h.knows("h1")).toBe(true);
    expect(h.knows("h2")).toBe(false);
  });

  it("after a restart, closes what vanished while the hub was down at the first inventory", () => {
    const db = openDatabase(":memory:");
    new HistoryStore(db, { retentionMs: 1, maxRowsPerHost: 1000 }).record("h1", world(["blue"], []), T0);
    const again = new HistoryStore(db, { retentionMs: 1, maxRowsPerHost: 1000 });
    expect(again.record("h1", testInventory([1]), T0 + 5_000)).toMatchObject({ appeared: 0, disappeared: 3 });
  });

  it("forgets closed appearances past retention and caps the rows of a host", () => {
    const db = openDatabase(":memory:");
    const h = new HistoryStore(db, { retentionMs: 60_000, maxRowsPerHost: 3 });
    // 5 rows: the initial namespace stays open; blue's namespace, name, stack and link close.
    h.record("h1", world(["blue"], [[2, "v0", []]]), T0);
    h.record("h1", testInventory([1]), T0 + 1_000);
    expect(h.prune(T0 + 30_000)).toBe(2); // within retention, but over the cap of 3 rows
    expect(h.prune(T0 + 100_000)).toBe(2); // past retention: the other closed rows go
    expect(h.inventoryAt("h1", T0 + 100_000).namespaces.map((n) => n.id)).toEqual(["net:4026531833"]);
  });
});
