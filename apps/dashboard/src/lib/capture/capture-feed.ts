import {
  BLOCK_IDB,
  isPacketBlock,
  type PcapngInterface,
  PcapngReader,
  parseInterface,
  parsePacket,
} from "@nsatlas/protocol/pcapng";
import { type DecodedPacket, decodePacket } from "./packet-decode";

/** Above this rate the list keeps a sample (every Nth packet) and says so; the count stays exact. */
export const LIST_RATE_LIMIT = 5_000;
/** Rows the list keeps at most (the oldest go first); the download has them all. */
export const MAX_ROWS = 100_000;

export interface PacketRow extends DecodedPacket {
  /** 1-based number of the packet in the capture (as Wireshark numbers it). */
  no: number;
  timeMs: number;
  length: number;
  linktype: number;
  data: Uint8Array;
}

/** Packets of a pcapng byte stream as list rows: exact counts, and a list sampled to at most
 * LIST_RATE_LIMIT rows a second so a flood cannot stall the page. */
export class CaptureFeed {
  readonly #reader = new PcapngReader();
  readonly #interfaces: PcapngInterface[] = [];
  rows: PacketRow[] = [];
  packets = 0;
  /** Packets seen but not listed (sampling). */
  skipped = 0;
  #second = 0;
  #inSecond = 0;

  get error(): string | null {
    return this.#reader.error;
  }

  /** Takes the next bytes; returns how many rows it added. The rate is counted in the
   * packets' own time: a chunk that arrives late does not look like a burst. */
  push(chunk: Uint8Array): number {
    let added = 0;
    for (const b of this.#reader.push(chunk)) {
      if (b.type === BLOCK_IDB) {
        const i = parseInterface(b);
        if (i) this.#interfaces.push(i);
        continue;
      }
      if (!isPacketBlock(b)) continue;
      const pkt = parsePacket(b, this.#interfaces);
      if (!pkt) continue;
      this.packets += 1;
      const second = Math.floor(pkt.timeMs / 1000);
      if (second !== this.#second) {
        this.#second = second;
        this.#inSecond = 0;
      }
      this.#inSecond += 1;
      if (this.#inSecond > LIST_RATE_LIMIT) {
        this.skipped += 1;
        continue;
      }
      const linktype = this.#interfaces[pkt.interfaceId]?.linktype ?? 1;
      this.rows.push({
        no: this.packets,
        timeMs: pkt.timeMs,
        length: pkt.originalLength,
        linktype,
        data: pkt.data,
        ...decodePacket(linktype, pkt.data),
      });
      added += 1;
    }
    if (this.rows.length > MAX_ROWS) this.rows = this.rows.slice(this.rows.length - MAX_ROWS);
    return added;
  }
}

/** Rows a display filter keeps: every word must appear in the row's protocol, addresses or
 * summary (case-insensitive); "!word" excludes. */
export function matchesDisplayFilter(row: PacketRow, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = `${row.protocol} ${row.source} ${row.destination} ${row.summary}`.toLowerCase();
  return words.every((w) => (w.startsWith("!") ? !text.includes(w.slice(1)) : text.includes(w)));
}

/** Lines of a classic hex dump: offset, 16 bytes in hex, their printable ASCII. */
export function hexDump(data: Uint8Array): string[] {
  const lines: string[] = [];
  for (let at = 0; at < data.length; at += 16) {
    const row = data.subarray(at, at + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, "0"));
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(
      `${at.toString(16).padStart(4, "0")}  ${hex.slice(0, 8).join(" ").padEnd(23)}  ${hex.slice(8).join(" ").padEnd(23)}  ${ascii}`,
    );
  }
  return lines;
}
