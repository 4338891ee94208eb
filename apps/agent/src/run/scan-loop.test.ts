import type { Inventory } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { ScanLoop } from "./scan-loop.js";

/** An inventory that differs from others only by its warnings (the scan's number). */
function inventory(n: number): Inventory {
  return {
    schema: "nsatlas.inventory/v1",
    host: { hostname: "h", bootId: "b", machineId: "m", kernel: "k", scannedAt: new Date(0).toISOString() },
    namespaces: [],
    processes: [],
    warnings: [`scan ${n}`],
    findings: [],
  } as unknown as Inventory;
}

/** Async scans that finish only when the test says so. */
function controlledScans() {
  const pending: Array<() => void> = [];
  let started = 0;
  return {
    get started() {
      return started;
    },
    finishNext() {
      pending.shift()?.();
    },
    scan: () =>
      new Promise<Inventory>((resolve) => {
        started += 1;
        const n = started;
        pending.push(() => resolve(inventory(n)));
      }),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

function loopWith(
  scans: ReturnType<typeof controlledScans>,
  extra: Partial<ConstructorParameters<typeof ScanLoop>[0]> = {},
) {
  const changes: string[][] = [];
  const loop = new ScanLoop({
    scanOnce: () => inventory(0),
    scanAsync: scans.scan,
    procRoot: "/proc",
    netnsDir: "/nonexistent-nsatlas-netns-dir",
    intervalMs: 60_000,
    fullEveryMs: 60_000,
    onChange: (c) => changes.push(c.warnings ?? []),
    onError: (err) => {
      throw err;
    },
    processEvents: null,
    ...extra,
  });
  return { loop, changes };
}

describe("ScanLoop with async scans", () => {
  it("runs one scan at a time; triggers during a scan queue exactly one more", async () => {
    const scans = controlledScans();
    const { loop, changes } = loopWith(scans);
    loop.requestScan();
    await tick();
    expect(scans.started).toBe(1);
    loop.requestScan();
    loop.requestScan();
    loop.requestScan();
    await tick();
    expect(scans.started).toBe(1);
    scans.finishNext();
    await tick();
    expect(scans.started).toBe(2);
    scans.finishNext();
    await loop.idle();
    expect(scans.started).toBe(2);
    expect(changes).toEqual([["scan 1"], ["scan 2"]]);
  });

  it("scanNow resolves once its own scan's changes were reported, after the running one", async () => {
    const scans = controlledScans();
    const { loop, changes } = loopWith(scans);
    loop.requestScan();
    await tick();
    let done = false;
    const now = loop.scanNow().then(() => {
      done = true;
    });
    scans.finishNext();
    await tick();
    expect(done).toBe(false);
    scans.finishNext();
    await now;
    expect(changes).toEqual([["scan 1"], ["scan 2"]]);
  });

  it("a change of the agent's mount table requests a scan", async () => {
    const scans = controlledScans();
    let onMounts: () => void = () => {};
    const { loop } = loopWith(scans, {
      watchMounts: (cb) => {
        onMounts = cb;
        return null;
      },
    });
    loop.start();
    try {
      expect(scans.started).toBe(0);
      onMounts();
      onMounts(); // the two halves of one `ip netns add`: one scan
      await new Promise((r) => setTimeout(r, 50));
      expect(scans.started).toBe(1);
      scans.finishNext();
      await loop.idle();
    } finally {
      loop.stop();
    }
  });
});
