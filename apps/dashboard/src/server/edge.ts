import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "./logger.js";
import { badRequest, HttpError } from "./rest/http-error.js";

/** A JSON response that no cache keeps. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

/** The parsed URL of a request; 400 when its target is not one (e.g. `GET http://[x/`). */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? "/", "http://localhost");
  } catch {
    throw badRequest("BAD_URL", "malformed request URL");
  }
}

/** decodeURIComponent, with 400 instead of a URIError for a malformed percent-escape. */
export function decodeComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw badRequest("BAD_ESCAPE", `malformed percent-escape in ${what}`);
  }
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Answers a not-yet-upgraded socket with a JSON error and closes it. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

/** Answers an error that escaped a request handler: an HttpError as itself, anything else as a
 * 500 without details (the stack goes to the log only). */
export function answerError(res: ServerResponse, err: unknown, log: Logger, what: string): void {
  if (!(err instanceof HttpError)) log.error(`${what}: ${(err as Error)?.stack ?? String(err)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
    sendJson(res, err.status, { error: { code: err.code, message: err.message } });
  } else sendJson(res, 500, { error: { code: "INTERNAL", message: "internal error" } });
}

/** The one guarded entry of a `request` listener: nothing thrown or rejected escapes it. */
export function guardRequest(log: Logger, handle: RequestHandler): RequestHandler {
  return (req, res) => {
    try {
      const done = handle(req, res);
      if (done) done.catch((err: unknown) => answerError(res, err, log, `request ${describe(req)}`));
    } catch (err) {
      answerError(res, err, log, `request ${describe(req)}`);
    }
  };
}

/** The one guarded entry of an `upgrade` listener: an HttpError refuses the upgrade with its
 * status, anything else with a bare 500 (the stack goes to the log only). */
export function guardUpgrade(log: Logger, handle: UpgradeHandler): UpgradeHandler {
  return (req, socket, head) => {
    // Node removes its own error listener from an upgraded socket: without one, a client
    // that resets mid-refusal would be an uncaught exception. A reset is the client's doing,
    // not an error of the server's (ws handles the socket's errors once it took it over).
    socket.on("error", () => {});
    const refuse = (err: unknown) => {
      if (err instanceof HttpError) refuseUpgrade(socket, err.status, err.code, err.message, err.headers);
      else {
        log.error(`upgrade ${describe(req)}: ${(err as Error)?.stack ?? String(err)}`);
        refuseUpgrade(socket, 500, "INTERNAL", "internal error");
      }
    };
    try {
      // An upgrade whose credential is looked up in a database answers later: its refusal too.
      handle(req, socket, head)?.catch(refuse);
    } catch (err) {
      refuse(err);
    }
  };
}

/** The request line as the log shows it, bounded (it is client input). */
const describe = (req: IncomingMessage) => `${req.method ?? "?"} ${JSON.stringify((req.url ?? "").slice(0, 200))}`;
