import { connect } from "node:net";
import { WebSocket } from "ws";

/** A raw HTTP answer: the status line's code, lower-cased headers, the body as text. */
export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes exactly as given over a fresh TCP connection and reads until the server closes
 * it (send `Connection: close`) or `timeoutMs` passes. Null when nothing came back. */
export function rawHttp(port: number, bytes: string | Buffer, timeoutMs = 5_000): Promise<RawReply | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1");
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseReply(Buffer.concat(chunks).toString("latin1")));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on("data", (c) => chunks.push(c));
    socket.on("close", done);
    socket.on("error", done);
    socket.write(bytes);
  });
}

function parseReply(text: string): RawReply | null {
  const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(text);
  if (!m) return null;
  const end = text.indexOf("\r\n\r\n");
  const head = text.slice(m[0].length, end < 0 ? text.length : end);
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = end < 0 ? "" : text.slice(end + 4);
  return { status: Number(m[1]), headers, body: headers["transfer-encoding"] === "chunked" ? dechunk(raw) : raw };
}

/** The payload of a chunked body (as far as it arrived). */
function dechunk(raw: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const eol = raw.indexOf("\r\n", at);
    if (eol < 0) return out;
    const size = Number.parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** A websocket client speaking tRPC's JSON-RPC by hand (no tRPC client: the wire is the test). */
export class RawTrpcSocket {
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  #nextId = 1;
  readonly #pending = new Map<number, (m: Record<string, unknown>) => void>();

  constructor(url: string, headers: Record<string, string>) {
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      this.ws.once("error", reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on("message", (data) => {
      const text = data.toString();
      if (text === "PING" || text === "PONG") return;
      const m = JSON.parse(text) as Record<string, unknown>;
      if (typeof m.id === "number") this.#pending.get(m.id)?.(m);
    });
  }

  /** One query or mutation; resolves with the JSON-RPC answer, or null if the socket closed first. */
  call(method: "query" | "mutation", path: string, input?: unknown): Promise<Record<string, unknown> | null> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.closed.then(() => resolve(null));
      this.ws.send(JSON.stringify({ id, method, params: { path, input } }));
    });
  }
}
