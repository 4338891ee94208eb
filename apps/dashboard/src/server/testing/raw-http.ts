import { type RawReply, rawHttp as sendRaw } from "@nsatlas/test-world";
import { WebSocket } from "ws";
import { documentViolation } from "./openapi-check.js";

export { rawUpgrade } from "@nsatlas/test-world";
export type { RawReply };

/** test-world's rawHttp, with the answer checked against the OpenAPI document like every
 * `fetch` of the tests (`checked-fetch.ts`) when the request line names an operation; a
 * head-only read checks the status and media type, not the body it did not read. */
export async function rawHttp(
  port: number,
  bytes: string | Buffer,
  o: { timeoutMs?: number; headOnly?: boolean } = {},
): Promise<RawReply | null> {
  const reply = await sendRaw(port, bytes, o);
  const line = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/.exec(bytes.toString("latin1"));
  if (!reply || !line?.[1] || !line[2]?.startsWith("/")) return reply;
  let pathname: string;
  try {
    pathname = new URL(line[2], "http://localhost").pathname;
  } catch {
    return reply; // not a request target: no operation, the edge's 400
  }
  const type = reply.headers["content-type"] ?? null;
  const headOnly = o.headOnly ?? false;
  const violation = documentViolation(line[1], pathname, reply.status, type, headOnly ? "" : reply.body, { headOnly });
  if (violation) throw new Error(`REST answer off the OpenAPI document: ${violation}`);
  return reply;
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
