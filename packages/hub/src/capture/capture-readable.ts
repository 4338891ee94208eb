import { closeSync, openSync, read } from "node:fs";
import { Readable } from "node:stream";

const CHUNK = 64 * 1024;

export interface GrowingFile {
  /** Bytes written so far (the reader never reads past them). */
  size(): number;
  /** No more bytes will come. */
  done(): boolean;
  /** Calls f whenever the file grows or ends; returns the unsubscribe. */
  onChange(f: () => void): () => void;
}

/** A file that is still being written, read as one stream: everything so far, then each
 * append as it lands, ending once the writer is done and every byte was read. Reads only
 * what the consumer asks for, so a slow download holds no more than a chunk. */
export class CaptureReadable extends Readable {
  #fd: number | null = null;
  #pos = 0;
  #reading = false;
  #ended = false;
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly path: string,
    private readonly file: GrowingFile,
  ) {
    super({ highWaterMark: CHUNK });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    try {
      this.#fd = openSync(this.path, "r");
      this.#unsubscribe = this.file.onChange(() => this.#pump());
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _read(): void {
    this.#pump();
  }

  #pump(): void {
    if (this.#reading || this.#ended || this.#fd === null || this.destroyed) return;
    const available = this.file.size() - this.#pos;
    if (available <= 0) {
      if (this.file.done()) this.#end();
      return; // more comes: onChange pumps again
    }
    this.#reading = true;
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, available));
    read(this.#fd, buf, 0, buf.length, this.#pos, (err, n) => {
      this.#reading = false;
      if (err) return this.destroy(err);
      this.#pos += n;
      if (n === 0) {
        // The file was removed and truncated under us: nothing more to give.
        this.#end();
        return;
      }
      if (this.push(buf.subarray(0, n))) this.#pump();
    });
  }

  #end(): void {
    this.#ended = true;
    this.push(null);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#unsubscribe?.();
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    callback(error);
  }
}
