import { type ChildProcess, spawn } from "node:child_process";
import {
  type CaptureEndFrame,
  type CaptureStartParams,
  type CaptureStopReason,
  isPacketBlock,
  MAX_CAPTURE_CHUNK,
  PcapngReader,
  parseIsbDrops,
} from "@nsatlas/protocol";

/** Room kept under maxBytes for the statistics block dumpcap writes when it stops. */
const TRAILER_RESERVE = 512;
/** A data frame leaves at least this often while packets arrive. */
const FLUSH_MS = 50;
/** Unsent bytes on the uplink above which the capture's pipe is paused: the kernel's ring
 * then fills and drops (counted in tp_drops), instead of the agent's memory growing. */
const MAX_UPLINK_BACKLOG = 4 * 1024 * 1024;
/** After SIGTERM, dumpcap gets this long to write its statistics and exit. */
const KILL_AFTER_MS = 3_000;

export interface CaptureSink {
  data(captureId: string, pcapng: Uint8Array): void;
  end(frame: CaptureEndFrame): void;
  backlog(): number;
}

/** One running dumpcap: reads its pcapng, enforces the byte and packet limits block by block,
 * and hands whole blocks to the uplink as data frames. */
export class CaptureSession {
  readonly #reader = new PcapngReader();
  readonly #child: ChildProcess;
  #out: Uint8Array[] = [];
  #outBytes = 0;
  #timer: NodeJS.Timeout | null = null;
  #reason: CaptureStopReason | null = null;
  #killTimer: NodeJS.Timeout | null = null;
  #stderr = "";
  #started = false;
  #ended = false;
  packets = 0;
  bytes = 0;
  drops: number | null = null;
  readonly firstData: Promise<string | null>;

  constructor(
    readonly id: string,
    readonly params: CaptureStartParams,
    argv: readonly string[],
    readonly excluded: string | null,
    private readonly sink: CaptureSink,
    private readonly onGone: () => void,
  ) {
    const [program = "", ...args] = argv;
    this.#child = spawn(program, args, {
      shell: false,
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" },
    });
    let resolveFirst: (error: string | null) => void = () => {};
    this.firstData = new Promise((r) => {
      resolveFirst = r;
    });
    this.#child.stdout?.on("data", (chunk: Buffer) => {
      if (!this.#started) {
        this.#started = true;
        resolveFirst(null);
      }
      this.#take(chunk);
    });
    this.#child.stderr?.on("data", (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString()).slice(-8192);
    });
    this.#child.on("error", (err) => {
      this.#stderr += err.message;
      resolveFirst(err.message);
    });
    this.#child.on("close", (code, signal) => {
      if (!this.#started) resolveFirst(this.#errorText() || `dumpcap exited (${code ?? signal})`);
      this.#finish(code, signal);
    });
  }

  /** Asks dumpcap to stop (it writes its statistics block, then exits). */
  stop(reason: CaptureStopReason): void {
    if (this.#ended) return;
    this.#reason ??= reason;
    this.#child.kill("SIGTERM");
    this.#killTimer ??= setTimeout(() => this.#child.kill("SIGKILL"), KILL_AFTER_MS);
  }

  #take(chunk: Buffer): void {
    for (const b of this.#reader.push(chunk)) {
      if (isPacketBlock(b)) {
        // A stop lets dumpcap flush what it captured: those packets still count and travel;
        // only the limits below keep a packet out.
        if (this.params.maxPackets !== null && this.packets >= this.params.maxPackets) continue;
        if (this.bytes + b.bytes.length > this.params.maxBytes - TRAILER_RESERVE) {
          this.stop("maxBytes");
          continue;
        }
        this.packets += 1;
      } else {
        const drops = parseIsbDrops(b);
        if (drops !== null) this.drops = (this.drops ?? 0) + drops;
      }
      this.bytes += b.bytes.length;
      this.#out.push(b.bytes);
      this.#outBytes += b.bytes.length;
      if (this.#outBytes >= MAX_CAPTURE_CHUNK / 2) this.#flush();
    }
    if (this.#reader.error !== null) this.stop("failed");
    if (this.#out.length > 0) this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
    if (this.sink.backlog() > MAX_UPLINK_BACKLOG) this.#pauseUntilDrained();
  }

  #pauseUntilDrained(): void {
    const out = this.#child.stdout;
    if (!out || out.isPaused()) return;
    out.pause();
    const check = setInterval(() => {
      if (this.sink.backlog() <= MAX_UPLINK_BACKLOG / 2 || this.#ended) {
        clearInterval(check);
        out.resume();
      }
    }, 20);
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#outBytes === 0) return;
    const payload = new Uint8Array(this.#outBytes);
    let at = 0;
    for (const part of this.#out) {
      payload.set(part, at);
      at += part.length;
    }
    this.#out = [];
    this.#outBytes = 0;
    this.sink.data(this.id, payload);
  }

  #errorText(): string {
    // dumpcap's own lines, without its "Capturing on …" and statistics chatter.
    return this.#stderr
      .split("\n")
      .filter((l) => l && !/^(Capturing on|File: |Packets captured|Packets received)/.test(l))
      .join("; ")
      .slice(0, 2000);
  }

  #finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#killTimer) clearTimeout(this.#killTimer);
    this.#flush();
    const failed = this.#reason === null && code !== 0;
    let reason: CaptureStopReason = this.#reason ?? "maxSeconds";
    if (this.#reason === null && this.params.maxPackets !== null && this.packets >= this.params.maxPackets)
      reason = "maxPackets";
    if (failed) reason = /no such device|doesn't exist|not up/i.test(this.#stderr) ? "vanished" : "failed";
    this.sink.end({
      type: "capture-end",
      captureId: this.id,
      reason,
      packets: this.packets,
      bytes: this.bytes,
      drops: this.drops,
      excluded: this.excluded,
      error: failed || this.#reason === "failed" ? this.#errorText() || `dumpcap exited (${code ?? signal})` : null,
    });
    this.onGone();
  }
}
