import { WebSocket } from "ws";

export { type RawReply, rawHttp, rawUpgrade } from "@nsatlas/test-world";

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
