import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BLOCK_IDB,
  BLOCK_ISB,
  BLOCK_SHB,
  isPacketBlock,
  PcapngReader,
  parseInterface,
  parseIsbDrops,
  parsePacket,
} from "./pcapng.js";

// Real captures made with dumpcap in two stacks joined by a veth (ping, ping6, ARP, NDP, a TCP
// exchange, a DNS query): one on the veth (Ethernet), one on "any" (Linux cooked).
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));
const ETHERNET = fixture("veth-ethernet.pcapng");
const COOKED = fixture("any-cooked.pcapng");

const blockBytes = (blocks: { bytes: Uint8Array }[]) => blocks.map((b) => Buffer.from(b.bytes).toString("hex"));

describe("PcapngReader", () => {
  it("reads dumpcap's captures: section, interface, 33 packets, the statistics block with 0 drops", () => {
    for (const [file, linktype] of [
      [ETHERNET, 1],
      [COOKED, 113],
    ] as const) {
      const r = new PcapngReader();
      const blocks = r.push(file);
      expect(r.error).toBeNull();
      expect(r.pending).toBe(0);
      expect(blocks[0]?.type).toBe(BLOCK_SHB);
      const idb = blocks.find((b) => b.type === BLOCK_IDB);
      const iface = idb ? parseInterface(idb) : null;
      expect(iface).toMatchObject({ linktype, unitsPerSecond: 1e9 });
      const packets = blocks.filter(isPacketBlock).map((b) => parsePacket(b, iface ? [iface] : []));
      expect(packets).toHaveLength(33);
      expect(packets.every((p) => p !== null && p.data.length === p.capturedLength)).toBe(true);
      const isb = blocks.find((b) => b.type === BLOCK_ISB);
      expect(isb && parseIsbDrops(isb)).toBe(0);
    }
  });

  it("gives the same blocks however the stream is cut into chunks", () => {
    const whole = blockBytes(new PcapngReader().push(ETHERNET));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: ETHERNET.length }), { maxLength: 40 }), (cuts) => {
        const at = [...new Set([0, ...cuts, ETHERNET.length])].sort((a, b) => a - b);
        const r = new PcapngReader();
        const got = at.slice(1).flatMap((end, i) => r.push(ETHERNET.subarray(at[i], end)));
        expect(blockBytes(got)).toEqual(whole);
        expect(r.pending).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary bytes, and stops with an error on what is not pcapng", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (junk, afterHeader) => {
        const r = new PcapngReader();
        if (afterHeader) r.push(ETHERNET.subarray(0, 164));
        const blocks = r.push(junk);
        for (const b of blocks) {
          parsePacket(b, []);
          parseInterface(b);
          parseIsbDrops(b);
        }
        expect(r.pending).toBeLessThanOrEqual(junk.length + 164);
      }),
      { numRuns: 1000 },
    );
    const r = new PcapngReader();
    r.push(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"));
    expect(r.error).toMatch(/section header/);
  });
});
