import { EventEmitter } from "node:events";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { type CaptureSummary, captureUrl, isPacketBlock, PcapngReader } from "@nsatlas/protocol";
import { CaptureReadable } from "./capture-readable.js";

/** A capture as the hub keeps it: what the API lists, without the URL (derived from the id). */
export type CaptureRecord = Omit<CaptureSummary, "url">;

const ID = /^[A-Za-z0-9-]{1,64}$/;

/** Capture files under the data dir: `<id>.pcapng` (mode 0600, appended as frames arrive) and
 * `<id>.json` (its record, rewritten when it ends). A record still "running" when the hub
 * starts belongs to a capture that the last hub process never finished: it ends "hub-restart". */
export class CaptureStore {
  readonly #records = new Map<string, CaptureRecord>();
  readonly #fds = new Map<string, number>();
  readonly #events = new EventEmitter();

  constructor(
    readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#events.setMaxListeners(0);
    for (const f of readdirSync(dir)) {
      if (!f.endsWith(".json")) continue;
      try {
        const rec = JSON.parse(readFileSync(join(dir, f), "utf8")) as CaptureRecord;
        if (!ID.test(rec.id)) continue;
        if (rec.state === "running") this.#restarted(rec);
        this.#records.set(rec.id, rec);
      } catch {
        // A record torn by a crash mid-write: its capture cannot be described, so it is skipped
        // (its pcapng, if any, goes at the next retention sweep by age of the file).
      }
    }
  }

  #restarted(rec: CaptureRecord): void {
    const file = this.file(rec.id);
    const bytes = existsSync(file) ? statSync(file).size : 0;
    let packets = 0;
    if (bytes > 0) {
      const reader = new PcapngReader();
      for (const b of reader.push(readFileSync(file))) if (isPacketBlock(b)) packets += 1;
    }
    Object.assign(rec, {
      state: "stopped",
      stopReason: "hub-restart",
      endedAt: new Date(this.now()).toISOString(),
      packets,
      bytes,
    });
    this.#writeRecord(rec);
  }

  file(id: string): string {
    return join(this.dir, `${id}.pcapng`);
  }

  #writeRecord(rec: CaptureRecord): void {
    const tmp = join(this.dir, `.${rec.id}.json.tmp`);
    writeFileSync(tmp, JSON.stringify(rec), { mode: 0o600 });
    renameSync(tmp, join(this.dir, `${rec.id}.json`));
  }

  create(rec: CaptureRecord): void {
    if (!ID.test(rec.id)) throw new Error(`bad capture id ${JSON.stringify(rec.id)}`);
    this.#fds.set(rec.id, openSync(this.file(rec.id), "wx", 0o600));
    this.#records.set(rec.id, rec);
    this.#writeRecord(rec);
  }

  get(id: string): CaptureRecord | undefined {
    return this.#records.get(id);
  }

  list(): CaptureRecord[] {
    return [...this.#records.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Bytes of every capture file together. */
  diskBytes(): number {
    let n = 0;
    for (const r of this.#records.values()) n += r.bytes;
    return n;
  }

  append(id: string, bytes: Uint8Array, packets: number): void {
    const fd = this.#fds.get(id);
    const rec = this.#records.get(id);
    if (fd === undefined || !rec) return;
    writeSync(fd, bytes);
    rec.bytes += bytes.length;
    rec.packets += packets;
    this.#events.emit(id);
  }

  finish(id: string, patch: Partial<CaptureRecord>): CaptureRecord | undefined {
    const rec = this.#records.get(id);
    if (rec?.state !== "running") return undefined;
    Object.assign(rec, { state: "stopped", endedAt: new Date(this.now()).toISOString() }, patch);
    const fd = this.#fds.get(id);
    if (fd !== undefined) closeSync(fd);
    this.#fds.delete(id);
    this.#writeRecord(rec);
    this.#events.emit(id);
    return rec;
  }

  remove(id: string): void {
    const fd = this.#fds.get(id);
    if (fd !== undefined) closeSync(fd);
    this.#fds.delete(id);
    this.#records.delete(id);
    rmSync(this.file(id), { force: true });
    rmSync(join(this.dir, `${id}.json`), { force: true });
    this.#events.emit(id);
  }

  /** Ended captures older than retentionMs; returns their ids (removed). */
  prune(retentionMs: number): string[] {
    const cutoff = this.now() - retentionMs;
    const gone = this.list().filter((r) => r.endedAt !== null && Date.parse(r.endedAt) < cutoff);
    for (const r of gone) this.remove(r.id);
    return gone.map((r) => r.id);
  }

  /** The file as a stream that follows it while the capture runs and ends when it does. */
  stream(id: string): CaptureReadable {
    return new CaptureReadable(this.file(id), {
      size: () => this.#records.get(id)?.bytes ?? 0,
      done: () => this.#records.get(id)?.state !== "running",
      onChange: (f) => {
        this.#events.on(id, f);
        return () => this.#events.off(id, f);
      },
    });
  }

  close(): void {
    for (const fd of this.#fds.values()) closeSync(fd);
    this.#fds.clear();
  }
}

export const summaryOf = (r: CaptureRecord): CaptureSummary => ({ ...r, url: captureUrl(r.id) });
