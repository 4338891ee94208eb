import { deflateRawSync, inflateRawSync } from "node:zlib";

/** Payload kinds, the first byte of every bus message. */
const PLAIN = 1;
const DEFLATED = 2;
const CHUNK = 3;
const CHUNK_HEADER = 9;

/** Below this a message goes as plain JSON: deflating a small delta costs more than it saves. */
const COMPRESS_ABOVE = 8 * 1024;
/** A reassembled message is at most this large (a 3,000-process snapshot deflates to ~10 %). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Chunks of a message that did not complete in this long are dropped (the sender died). */
const CHUNK_TTL_MS = 30_000;

/** Encodes a JSON value into one or more NATS payloads of at most `maxPayload` bytes each:
 * large messages are deflated, and chunked if still too large (NATS refuses a message over
 * its max_payload, 1 MiB by default). Chunks of one message must be published in order on
 * one subject: NATS keeps the order of one publisher's messages to each subscriber. */
export class BusEncoder {
  #nextId = 1;
  constructor(private readonly maxPayload: () => number) {}

  encode(value: unknown): Buffer[] {
    const json = Buffer.from(JSON.stringify(value), "utf8");
    const body =
      json.length > COMPRESS_ABOVE
        ? Buffer.concat([Buffer.of(DEFLATED), deflateRawSync(json, { level: 3 })])
        : Buffer.concat([Buffer.of(PLAIN), json]);
    const max = this.maxPayload();
    if (body.length <= max) return [body];
    const room = max - CHUNK_HEADER;
    const count = Math.ceil(body.length / room);
    if (count > 0xffff) throw new RangeError(`bus message of ${body.length} bytes is too large`);
    const id = this.#nextId;
    this.#nextId = (this.#nextId % 0xffffffff) + 1;
    const chunks: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const head = Buffer.alloc(CHUNK_HEADER);
      head.writeUInt8(CHUNK, 0);
      head.writeUInt32BE(id, 1);
      head.writeUInt16BE(i, 5);
      head.writeUInt16BE(count, 7);
      chunks.push(Buffer.concat([head, body.subarray(i * room, (i + 1) * room)]));
    }
    return chunks;
  }
}

export class BusDecodeError extends Error {}

interface Partial {
  parts: Buffer[];
  bytes: number;
  startedAt: number;
}

/** Decodes bus payloads; chunks are reassembled per sender (bounded in size and time). */
export class BusDecoder {
  readonly #partial = new Map<string, Partial>();
  #bytes = 0;
  constructor(private readonly now: () => number = Date.now) {}

  /** The decoded JSON value, or undefined while a chunked message is incomplete. Throws
   * BusDecodeError on anything malformed. */
  decode(sender: string, payload: Uint8Array): unknown {
    const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    if (data[0] !== CHUNK) return decodeBody(data);
    if (data.length <= CHUNK_HEADER) throw new BusDecodeError("truncated chunk");
    const id = data.readUInt32BE(1);
    const index = data.readUInt16BE(5);
    const count = data.readUInt16BE(7);
    const key = `${sender}\u0000${id}`;
    this.#expire();
    let p = this.#partial.get(key);
    if (index === 0) {
      if (p) this.#drop(key, p);
      p = { parts: [], bytes: 0, startedAt: this.now() };
      this.#partial.set(key, p);
    }
    // A chunk out of order means one was lost: the whole message is dropped.
    if (!p || p.parts.length !== index || index >= count) {
      if (p) this.#drop(key, p);
      throw new BusDecodeError(`chunk ${index}/${count} of message ${id} out of order`);
    }
    const fragment = data.subarray(CHUNK_HEADER);
    if (this.#bytes + fragment.length > MAX_MESSAGE_BYTES) {
      this.#drop(key, p);
      throw new BusDecodeError("chunked message too large");
    }
    p.parts.push(Buffer.from(fragment));
    p.bytes += fragment.length;
    this.#bytes += fragment.length;
    if (p.parts.length < count) return undefined;
    this.#drop(key, p);
    return decodeBody(Buffer.concat(p.parts));
  }

  /** Bytes held by incomplete chunked messages. */
  get pendingBytes(): number {
    return this.#bytes;
  }

  #drop(key: string, p: Partial): void {
    this.#partial.delete(key);
    this.#bytes -= p.bytes;
  }

  #expire(): void {
    const cutoff = this.now() - CHUNK_TTL_MS;
    for (const [key, p] of this.#partial) if (p.startedAt < cutoff) this.#drop(key, p);
  }
}

function decodeBody(data: Buffer): unknown {
  let json: Buffer;
  if (data[0] === PLAIN) json = data.subarray(1);
  else if (data[0] === DEFLATED) {
    try {
      json = inflateRawSync(data.subarray(1), { maxOutputLength: MAX_MESSAGE_BYTES });
    } catch (err) {
      throw new BusDecodeError(`cannot inflate: ${(err as Error).message}`);
    }
  } else throw new BusDecodeError(`unknown payload kind ${data[0]}`);
  try {
    return JSON.parse(json.toString("utf8"));
  } catch {
    throw new BusDecodeError("payload is not JSON");
  }
}
