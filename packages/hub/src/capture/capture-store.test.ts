import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CaptureRecord, CaptureStore } from "./capture-store.js";

const fixture = new Uint8Array(
  readFileSync(new URL("../../../protocol/src/__fixtures__/veth-ethernet.pcapng", import.meta.url)),
);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "nsatlas-capture-store-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const record = (id: string, startedAt = "2026-12-02T00:00:00.000Z"): CaptureRecord => ({
  id,
  hostId: "h1",
  stack: "blue",
  ns: "net:1",
  link: null,
  filter: "",
  excluded: null,
  limits: { snaplen: 262144, maxSeconds: 60, maxBytes: 1 << 26, maxPackets: null },
  startedBy: { name: "op", role: "operator" },
  startedAt,
  endedAt: null,
  state: "running",
  stopReason: null,
  packets: 0,
  bytes: 0,
  drops: null,
  error: null,
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe("CaptureStore", () => {
  it("keeps files mode 0600 and streams a growing file to its end", async () => {
    const dir = tempDir();
    const store = new CaptureStore(dir);
    store.create(record("c1"));
    expect(statSync(store.file("c1")).mode & 0o777).toBe(0o600);
    store.append("c1", fixture.subarray(0, 1000), 0);
    const reading = readAll(store.stream("c1"));
    setTimeout(() => {
      store.append("c1", fixture.subarray(1000), 33);
      store.finish("c1", { stopReason: "stopped" });
    }, 50);
    expect(Buffer.compare(await reading, Buffer.from(fixture))).toBe(0);
    expect(store.get("c1")).toMatchObject({ state: "stopped", packets: 33, bytes: fixture.length });
    store.close();
  });

  it("ends a capture the previous hub left running as hub-restart, counting the packets in its file", () => {
    const dir = tempDir();
    const before = new CaptureStore(dir);
    before.create(record("c2"));
    before.append("c2", fixture, 0); // counts never written: the hub died
    before.close();
    const after = new CaptureStore(dir);
    expect(after.get("c2")).toMatchObject({ state: "stopped", stopReason: "hub-restart", packets: 33 });
    after.close();
  });

  it("removes ended captures past retention, never running ones", () => {
    let now = Date.parse("2026-12-02T00:00:00Z");
    const store = new CaptureStore(tempDir(), () => now);
    store.create(record("old"));
    store.create(record("live"));
    store.finish("old", { stopReason: "maxSeconds" });
    now += 2 * 3_600_000;
    expect(store.prune(3_600_000)).toEqual(["old"]);
    expect(store.list().map((r) => r.id)).toEqual(["live"]);
    store.close();
  });
});
