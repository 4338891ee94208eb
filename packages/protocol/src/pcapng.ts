// An incremental pcapng reader (draft-ietf-opsawg-pcapng): whole blocks out of a byte stream
// that arrives in pieces of any size, plus the fields nsatlas needs of the four block types a
// live capture writes. The agent counts and cuts with it, the hub checks frames with it, the
// browser lists packets with it. It never throws on bad input: it stops with an `error`.

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_ISB = 0x00000005;
export const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Largest block accepted: a 256 KiB packet with its options fits many times over. */
export const MAX_PCAPNG_BLOCK = 4 * 1024 * 1024;

export interface PcapngBlock {
  type: number;
  /** The whole block, header and trailer included. */
  bytes: Uint8Array;
  littleEndian: boolean;
}

export interface PcapngInterface {
  linktype: number;
  snaplen: number;
  /** Units of a timestamp per second (if_tsresol; 10^6 when absent). */
  unitsPerSecond: number;
}

export interface PcapngPacket {
  interfaceId: number;
  /** Milliseconds since the epoch (fractional). */
  timeMs: number;
  capturedLength: number;
  originalLength: number;
  data: Uint8Array;
}

/** Splits a pcapng byte stream into blocks; push() returns the blocks a chunk completed. */
export class PcapngReader {
  #buf = new Uint8Array(0);
  #littleEndian: boolean | null = null;
  /** Set once the stream is not pcapng (or a block is malformed); nothing more is read. */
  error: string | null = null;
  /** Bytes consumed as whole blocks so far. */
  consumed = 0;

  push(chunk: Uint8Array): PcapngBlock[] {
    if (this.error !== null) return [];
    const joined = new Uint8Array(this.#buf.length + chunk.length);
    joined.set(this.#buf, 0);
    joined.set(chunk, this.#buf.length);
    const blocks: PcapngBlock[] = [];
    let at = 0;
    while (joined.length - at >= 12) {
      const view = new DataView(joined.buffer, joined.byteOffset + at);
      const type = view.getUint32(0, true);
      if (type === BLOCK_SHB) {
        const magic = view.getUint32(8, true);
        if (magic === BYTE_ORDER_MAGIC) this.#littleEndian = true;
        else if (magic === 0x4d3c2b1a) this.#littleEndian = false;
        else return this.#fail("bad byte-order magic in a section header", blocks);
      } else if (this.#littleEndian === null) {
        return this.#fail("the stream does not start with a section header block", blocks);
      }
      const le = this.#littleEndian;
      const length = view.getUint32(4, le);
      if (length < 12 || length % 4 !== 0 || length > MAX_PCAPNG_BLOCK) {
        return this.#fail(`bad block length ${length}`, blocks);
      }
      if (joined.length - at < length) break;
      if (view.getUint32(length - 4, le) !== length) return this.#fail("block trailer length differs", blocks);
      blocks.push({
        type: le ? type : view.getUint32(0, false),
        bytes: joined.slice(at, at + length),
        littleEndian: le,
      });
      at += length;
    }
    this.consumed += at;
    this.#buf = joined.slice(at);
    return blocks;
  }

  /** Bytes held that do not yet form a whole block. */
  get pending(): number {
    return this.#buf.length;
  }

  #fail(message: string, blocks: PcapngBlock[]): PcapngBlock[] {
    this.error = message;
    this.#buf = new Uint8Array(0);
    return blocks;
  }
}

const viewOf = (b: PcapngBlock) => new DataView(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);

/** Options of a block from `start` (code, value), until opt_endofopt or the trailer. */
function* options(b: PcapngBlock, start: number): Generator<{ code: number; value: Uint8Array }> {
  const v = viewOf(b);
  let at = start;
  while (at + 4 <= b.bytes.length - 4) {
    const code = v.getUint16(at, b.littleEndian);
    const len = v.getUint16(at + 2, b.littleEndian);
    if (code === 0 || at + 4 + len > b.bytes.length - 4) return;
    yield { code, value: b.bytes.subarray(at + 4, at + 4 + len) };
    at += 4 + len + ((4 - (len % 4)) % 4);
  }
}

export function parseInterface(b: PcapngBlock): PcapngInterface | null {
  if (b.type !== BLOCK_IDB || b.bytes.length < 20) return null;
  const v = viewOf(b);
  let unitsPerSecond = 1e6;
  for (const o of options(b, 16)) {
    if (o.code === 9 && o.value.length >= 1) {
      const r = o.value[0] ?? 6;
      unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** (r & 0x7f);
    }
  }
  return { linktype: v.getUint16(8, b.littleEndian), snaplen: v.getUint32(12, b.littleEndian), unitsPerSecond };
}

/** A packet of an enhanced (or simple) packet block; null for other blocks or a short one. */
export function parsePacket(b: PcapngBlock, interfaces: readonly PcapngInterface[]): PcapngPacket | null {
  const v = viewOf(b);
  const le = b.littleEndian;
  if (b.type === BLOCK_EPB && b.bytes.length >= 32) {
    const interfaceId = v.getUint32(8, le);
    const ts = v.getUint32(12, le) * 2 ** 32 + v.getUint32(16, le);
    const capturedLength = v.getUint32(20, le);
    if (28 + capturedLength > b.bytes.length - 4) return null;
    const units = interfaces[interfaceId]?.unitsPerSecond ?? 1e6;
    return {
      interfaceId,
      timeMs: (ts / units) * 1000,
      capturedLength,
      originalLength: v.getUint32(24, le),
      data: b.bytes.subarray(28, 28 + capturedLength),
    };
  }
  if (b.type === BLOCK_SPB && b.bytes.length >= 16) {
    const originalLength = v.getUint32(8, le);
    const capturedLength = Math.min(originalLength, b.bytes.length - 16, interfaces[0]?.snaplen || Infinity);
    return {
      interfaceId: 0,
      timeMs: 0,
      capturedLength,
      originalLength,
      data: b.bytes.subarray(12, 12 + capturedLength),
    };
  }
  return null;
}

/** isb_ifdrop of an interface statistics block: the packets the interface (for a Linux packet
 * socket: the kernel, PACKET_STATISTICS tp_drops) dropped; null when absent. */
export function parseIsbDrops(b: PcapngBlock): number | null {
  if (b.type !== BLOCK_ISB) return null;
  for (const o of options(b, 20)) {
    if (o.code === 5 && o.value.length === 8) {
      const v = new DataView(o.value.buffer, o.value.byteOffset, 8);
      return Number(v.getBigUint64(0, b.littleEndian));
    }
  }
  return null;
}

export const isPacketBlock = (b: PcapngBlock) => b.type === BLOCK_EPB || b.type === BLOCK_SPB;
