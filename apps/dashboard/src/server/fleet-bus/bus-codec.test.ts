import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BusDecodeError, BusDecoder, BusEncoder } from "./bus-codec.js";

const big = (n: number) => ({
  items: Array.from({ length: n }, (_, i) => ({ i, text: `item-${i}-${"z".repeat(i % 50)}` })),
});

describe("bus codec", () => {
  it("sends a small message as one plain payload and a large one deflated", () => {
    const enc = new BusEncoder(() => 1024 * 1024);
    const [small] = enc.encode({ t: "state", id: "h", connected: true });
    expect(small?.[0]).toBe(1);
    const large = enc.encode(big(5000));
    expect(large).toHaveLength(1);
    expect(large[0]?.[0]).toBe(2);
    expect(new BusDecoder().decode("r", large[0] as Buffer)).toEqual(big(5000));
  });

  it("chunks what is still over the limit and reassembles it in order, per sender", () => {
    const enc = new BusEncoder(() => 4096);
    const value = { blob: Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 100_003) };
    const chunks = enc.encode(value);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(4096);
    const dec = new BusDecoder();
    const other = enc.encode({ other: true });
    const results = chunks.map((c, i) => {
      // A message of another sender in between does not disturb the reassembly.
      if (i === 1) expect(dec.decode("s2", other[0] as Buffer)).toEqual({ other: true });
      return dec.decode("s1", c);
    });
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(results.at(-1)).toEqual(value);
    expect(dec.pendingBytes).toBe(0);
  });

  it("drops a message whose chunk was lost, and decodes the next one", () => {
    const enc = new BusEncoder(() => 2048);
    const value = { blob: Array.from({ length: 5000 }, (_, i) => (i * 7919) % 100_003) };
    const first = enc.encode(value);
    const dec = new BusDecoder();
    dec.decode("s", first[0] as Buffer);
    expect(() => dec.decode("s", first[2] as Buffer)).toThrow(BusDecodeError);
    const again = enc.encode(value);
    let out: unknown;
    for (const c of again) out = dec.decode("s", c);
    expect(out).toEqual(value);
    expect(dec.pendingBytes).toBe(0);
  });

  it("forgets chunks of a message that never completes (its sender died)", () => {
    let now = 0;
    const enc = new BusEncoder(() => 2048);
    const dec = new BusDecoder(() => now);
    const chunks = enc.encode({ blob: Array.from({ length: 5000 }, (_, i) => (i * 7919) % 100_003) });
    dec.decode("dead", chunks[0] as Buffer);
    expect(dec.pendingBytes).toBeGreaterThan(0);
    now = 31_000;
    dec.decode("alive", enc.encode({ ok: 1 })[0] as Buffer);
    dec.decode("alive", chunks[0] as Buffer);
    expect(dec.pendingBytes).toBe((chunks[0]?.length ?? 0) - 9);
  });

  it("never throws anything but BusDecodeError on arbitrary bytes (fast-check)", () => {
    const dec = new BusDecoder();
    const seed = Date.now();
    try {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
          try {
            dec.decode("fuzz", bytes);
          } catch (err) {
            if (!(err instanceof BusDecodeError)) throw err;
          }
        }),
        { numRuns: 2000, seed },
      );
    } catch (err) {
      throw new Error(`seed ${seed}: ${(err as Error).message}`);
    }
  });
});
