import type { HistoryEvent } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { rowText, timelineEntries } from "./history-entries";

const at = "2026-12-02T01:03:05.120Z";
const ev = (kind: HistoryEvent["kind"], label: string, ns: string, over: Partial<HistoryEvent> = {}): HistoryEvent => ({
  at,
  change: "appeared",
  kind,
  key: `${ns}|${kind}|${label}`,
  ns,
  label,
  ...over,
});

describe("history timeline entries", () => {
  const titles = new Map([["net:7", "blue"]]);

  it("says each word once: no kind word repeated after its badge", () => {
    expect(rowText({ kind: "link", label: "link veth0 (veth) in blue (net:7)" }, titles)).toBe(
      "veth0 (veth) in blue (net:7)",
    );
    expect(rowText({ kind: "namespace", label: "net namespace net:7" }, titles)).toBe("blue (net:7)");
    expect(rowText({ kind: "stack", label: "stack blue (net:7)" }, titles)).toBe("blue (net:7)");
    expect(rowText({ kind: "name", label: "name blue of net:7" }, titles)).toBe("blue of net:7");
    expect(rowText({ kind: "address", label: "10.0.0.1/24 on veth0 in net:9" }, titles)).toBe(
      "10.0.0.1/24 on veth0 in net:9",
    );
  });

  it("leaves lo and its loopback addresses out of a stack that appears with them", () => {
    const [entry] = timelineEntries(
      [
        ev("namespace", "net namespace net:7", "net:7"),
        ev("link", "link lo (loopback) in net:7", "net:7"),
        ev("address", "127.0.0.1/8 on lo in net:7", "net:7"),
        ev("address", "::1/128 on lo in net:7", "net:7"),
        ev("link", "link veth0 (veth) in net:7", "net:7"),
        ev("stack", "stack blue (net:7)", "net:7"),
      ],
      titles,
      null,
    );
    // The namespace row is left out too: the stack's row names it.
    expect(entry?.rows.map((r) => r.kind)).toEqual(["link", "stack"]);
  });

  it("keeps a name row when the stack's row does not carry the name", () => {
    const [entry] = timelineEntries(
      [ev("name", "name blue of net:9", "net:9"), ev("stack", "stack net:9", "net:9")],
      titles,
      null,
    );
    expect(entry?.rows.map((r) => r.text)).toEqual(["blue of net:9", "net:9"]);
  });

  it("keeps a loopback change of a stack that stays (someone set lo up or added an address)", () => {
    const [entry] = timelineEntries([ev("address", "127.0.0.1/8 on lo in net:7", "net:7")], titles, null);
    expect(entry?.rows).toHaveLength(1);
  });

  it("summarises a burst in one entry and marks the host's first inventory", () => {
    const burst = [
      ...Array.from({ length: 20 }, (_, i) => ev("namespace", `mnt namespace mnt:${i}`, `mnt:${i}`)),
      ev("address", "10.0.0.1/24 on veth0 in net:9", "net:9"),
      ev("address", "10.0.0.2/24 on veth0 in net:9", "net:9"),
    ];
    const later = ev("stack", "stack blue (net:7)", "net:7", { at: "2026-12-02T01:05:00.000Z" });
    const entries = timelineEntries([...burst, later], titles, at);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ first: true, summary: "+20 namespaces · +2 addresses" });
    expect(entries[1]).toMatchObject({ first: false, summary: null });
  });
});
