import { randomBytes } from "node:crypto";
import {
  type ActionResultFrame,
  type CaptureEndFrame,
  type CaptureStopReason,
  CloseCode,
  encodeCaptureData,
  HEARTBEAT_MS,
  type HelloFrame,
  HubFrame,
  type Inventory,
  type InventoryChanges,
  MAX_FRAME_BYTES,
} from "@nsatlas/protocol";
import WebSocket from "ws";
import { refusal, requestIdOf } from "../actions/action-refusal.js";
import type { Backoff } from "./backoff.js";

/** Above this many unsent bytes, deltas are dropped and replaced by one snapshot later. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** OpenSSL's codes for a certificate this agent does not trust (node's tls error codes). */
const UNTRUSTED_CERT = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Says plainly when the hub's TLS certificate is refused: the fix is on this side (--ca-file)
 * or the hub's (its certificate), and retrying alone will not help. */
export function describeUplinkError(err: Error & { code?: string }): string {
  if (err.code && UNTRUSTED_CERT.has(err.code)) {
    return `TLS: refusing the hub's certificate (${err.code}: ${err.message}); check --ca-file and the hub's certificate`;
  }
  return err.message;
}

/** The hub refused our credentials (401 / 4401 / 4403): retrying cannot help. */
export class FatalUplinkError extends Error {
  readonly code = "UPLINK_REFUSED";
  readonly exitCode = 3;
}

export interface UplinkOptions {
  url: URL;
  /** Hub replicas in order of preference (default: just `url`). A connection that fails or
   * goes away moves to the next; the backoff applies once every one of them has failed. */
  urls?: URL[];
  token: string;
  hello: () => HelloFrame;
  inventory: () => Inventory;
  backoff: Backoff;
  ca?: Buffer;
  log: (msg: string) => void;
  onFatal: (err: FatalUplinkError) => void;
  /** Runs `action` frames; null (--read-only): there is no handler and every one is refused. */
  actions: { handle(raw: unknown): Promise<ActionResultFrame> } | null;
  /** Told of capture-stop frames and of the uplink closing (its captures then stop). */
  captures?: { stop(id: string, reason: CaptureStopReason): void; stopAll(reason: CaptureStopReason): void };
}

/** The agent's connection to the hub: hello, then a snapshot, then sequenced deltas; a resync
 * or any doubt (reconnect, dropped delta) is answered with a fresh snapshot. Reconnects with
 * jittered exponential backoff. */
export class Uplink {
  /** New each agent start: the hub discards deltas of an epoch it does not know. */
  readonly epoch = randomBytes(8).toString("hex");
  #seq = 0;
  #ws: WebSocket | null = null;
  #open = false;
  #needSnapshot = true;
  #stopped = false;
  #heartbeat: NodeJS.Timeout | null = null;
  #endpoints: { localAddress: string; localPort: number; remotePort: number } | null = null;
  #retry: NodeJS.Timeout | null = null;
  /** Index in #urls of the hub dialled now, and the failures since one last answered. */
  #hubIndex = 0;
  #failedInRow = 0;
  framesSent = 0;
  snapshotsSent = 0;
  bytesSent = 0;
  framesReceived = 0;
  resyncs = 0;

  constructor(private readonly o: UplinkOptions) {}

  get #urls(): URL[] {
    return this.o.urls && this.o.urls.length > 0 ? this.o.urls : [this.o.url];
  }

  /** The hub this agent dials (or is connected to) now. */
  get url(): URL {
    return this.#urls[this.#hubIndex % this.#urls.length] ?? this.o.url;
  }

  start(): void {
    this.#connect();
  }

  /** The websocket to the hub is open. */
  get connected(): boolean {
    return this.#open;
  }

  /** The TCP connection to the hub (captures of the agent's own stack leave it out). */
  get endpoints() {
    return this.#open ? this.#endpoints : null;
  }

  /** Bytes queued on the socket and not yet sent. */
  get backlog(): number {
    return this.#ws?.bufferedAmount ?? 0;
  }

  /** Packet data of a capture: a binary frame, outside the delta accounting. */
  sendCaptureData(captureId: string, pcapng: Uint8Array): void {
    if (!this.#open) return;
    this.#ws?.send(encodeCaptureData(captureId, pcapng), { binary: true });
  }

  sendCaptureEnd(frame: CaptureEndFrame): void {
    if (this.#open) this.#send(frame);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#ws?.close(1000, "agent stopping");
  }

  /** Sends what changed; falls back to a snapshot whenever the hub may have missed a delta. */
  sendChanges(changes: InventoryChanges): void {
    if (!this.#open) return; // the snapshot after the next hello will carry it
    if (this.#needSnapshot) {
      this.#sendSnapshot();
      return;
    }
    if ((this.#ws?.bufferedAmount ?? 0) > MAX_BUFFERED_BYTES) {
      // A slow hub: drop this delta; once the buffer drains, one snapshot replaces them all.
      this.#needSnapshot = true;
      return;
    }
    const baseSeq = this.#seq;
    this.#seq += 1;
    this.#send({ type: "delta", epoch: this.epoch, seq: this.#seq, baseSeq, changes });
  }

  #connect(): void {
    const ws = new WebSocket(this.url, {
      headers: { Authorization: `Bearer ${this.o.token}` },
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: true,
      handshakeTimeout: 10_000,
      ...(this.o.ca ? { ca: this.o.ca } : {}),
    });
    this.#ws = ws;
    ws.on("upgrade", (res) => {
      const s = res.socket;
      this.#endpoints = {
        localAddress: s.localAddress ?? "",
        localPort: s.localPort ?? 0,
        remotePort: s.remotePort ?? 0,
      };
    });
    ws.on("open", () => {
      this.#open = true;
      this.o.backoff.reset();
      this.#failedInRow = 0;
      this.o.log(`connected to ${this.url.href}`);
      this.#send(this.o.hello());
      this.#sendSnapshot();
      this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
    });
    ws.on("message", (data) => this.#receive(data.toString()));
    ws.on("unexpected-response", (_req, res) => {
      if (res.statusCode === 401 || res.statusCode === 403) {
        this.#fatal(`hub refused the agent (HTTP ${res.statusCode}): check the token`);
      } else {
        this.o.log(`hub answered HTTP ${res.statusCode} to the upgrade`);
        ws.terminate();
      }
    });
    ws.on("error", (err) => this.o.log(`uplink: ${describeUplinkError(err)}`));
    ws.on("close", (code, reason) => {
      const wasOpen = this.#open;
      this.#open = false;
      // Nobody receives the packets any more: the hub marks these captures agent-disconnect.
      this.o.captures?.stopAll("agent-disconnect");
      this.#needSnapshot = true;
      if (this.#heartbeat) clearInterval(this.#heartbeat);
      if (code === CloseCode.unauthorized || code === CloseCode.forbidden) {
        return this.#fatal(`hub closed the connection ${code}: ${reason.toString()}`);
      }
      if (this.#stopped) return;
      const delay = this.#nextDelay(wasOpen);
      const to = this.url.href;
      this.o.log(
        `disconnected (${code}${reason.length ? ` ${reason.toString()}` : ""}); retrying ${to} in ${delay} ms`,
      );
      this.#retry = setTimeout(() => this.#connect(), delay);
    });
  }

  /** Moves to the next hub; only a full round of hubs that did not answer waits the backoff,
   * so an agent whose replica went away is on another one within a fraction of a second. */
  #nextDelay(wasOpen: boolean): number {
    const n = this.#urls.length;
    if (n === 1) return this.o.backoff.next();
    this.#hubIndex = (this.#hubIndex + 1) % n;
    if (wasOpen) this.#failedInRow = 0;
    this.#failedInRow += 1;
    if (this.#failedInRow % n === 0) return this.o.backoff.next();
    return 50 + Math.round(Math.random() * 200);
  }

  #receive(text: string): void {
    this.framesReceived += 1;
    let frame: HubFrame;
    try {
      const json: unknown = JSON.parse(text);
      // Action frames are answered even when invalid: the hub (and its audit log) learns that
      // this agent refused, instead of waiting for a timeout.
      if ((json as { type?: unknown } | null)?.type === "action") {
        this.#action(json);
        return;
      }
      frame = HubFrame.parse(json);
    } catch {
      this.o.log("uplink: ignoring a malformed frame from the hub");
      return;
    }
    if (frame.type === "resync") {
      this.resyncs += 1;
      this.o.log(`hub asked for a resync: ${frame.reason}`);
      this.#sendSnapshot();
    } else if (frame.type === "capture-stop") {
      this.o.captures?.stop(frame.captureId, frame.reason);
    } else if (frame.type === "error") {
      this.o.log(`hub error ${frame.code}: ${frame.message}`);
    }
  }

  #action(raw: unknown): void {
    const { actions } = this.o;
    if (actions === null) {
      this.o.log("refused an action frame: this agent runs --read-only");
      this.#send(refusal(requestIdOf(raw), "AGENT_READ_ONLY", "this agent runs --read-only: it executes no actions"));
      return;
    }
    actions.handle(raw).then(
      (result) => this.#send(result),
      (err: unknown) => this.#send(refusal(requestIdOf(raw), "AGENT_ERROR", (err as Error).message)),
    );
  }

  #beat(): void {
    if (this.#needSnapshot && (this.#ws?.bufferedAmount ?? 0) < MAX_BUFFERED_BYTES) this.#sendSnapshot();
    else this.#send({ type: "heartbeat", seq: this.#seq });
  }

  #sendSnapshot(): void {
    if (!this.#open) return;
    this.#seq += 1;
    this.#needSnapshot = false;
    this.snapshotsSent += 1;
    this.#send({ type: "snapshot", epoch: this.epoch, seq: this.#seq, inventory: this.o.inventory() });
  }

  #send(frame: object): void {
    const text = JSON.stringify(frame);
    this.framesSent += 1;
    this.bytesSent += text.length;
    this.#ws?.send(text);
  }

  #fatal(message: string): void {
    if (this.#stopped) return;
    this.stop();
    this.o.onFatal(new FatalUplinkError(message));
  }
}
