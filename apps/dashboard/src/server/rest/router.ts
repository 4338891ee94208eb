import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Principal } from "../auth.js";
import { decodeComponent, requestUrl, sendJson } from "../edge.js";
import { HttpError, unauthorized } from "./http-error.js";

export interface RestRequest {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  principal: Principal | null;
}

/** A response other than 200 + JSON (e.g. 204 with a Set-Cookie header). A string body is
 * sent as it is (give it a content-type), a Readable is streamed (with backpressure);
 * anything else is sent as JSON. */
export class RestResponse {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string | string[]> = {},
    readonly body: unknown = undefined,
  ) {}
}

/** Reads a JSON request body of at most maxBytes; 400 on anything else. */
export async function readJsonBody(req: IncomingMessage, maxBytes = 256 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, "TOO_LARGE", `request body over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "BAD_JSON", "request body is not JSON");
  }
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** A path with `{name}` segments, e.g. /api/v1/hosts/{id}/inventory. */
  path: string;
  /** Routes are authenticated unless marked public. */
  public?: boolean;
  /** Whether the route changes anything (default: every method but GET). Mutations pass the
   * mutation guard: auditors and a read-only dashboard get 403 (issue 6). */
  mutates?: boolean;
  handle(r: RestRequest): unknown | Promise<unknown>;
}

interface Compiled extends Route {
  re: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const re = new RegExp(
    `^${route.path.replace(/\{(\w+)\}/g, (_, n: string) => {
      names.push(n);
      return "([^/]+)";
    })}$`,
  );
  return { ...route, re, names };
}

export { sendJson };

/** A tiny REST router: matches method and path, authenticates. Errors reach the server's
 * guarded entry (`edge.ts`), which translates them: an HttpError as itself, the rest as 500. */
export function createRouter(
  routes: Route[],
  authenticate: (req: IncomingMessage) => Promise<Principal | null>,
  /** Throws an HttpError (403) when the principal may not make this mutation. */
  guardMutation: (principal: Principal, req: IncomingMessage, route: Route) => void = () => {},
) {
  const compiled = routes.map(compile);
  return {
    /** Handles the request if a route's path matches; returns false otherwise. */
    async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const url = requestUrl(req);
      const matching = compiled.filter((r) => r.re.test(url.pathname));
      if (matching.length === 0) return false;
      const route = matching.find((r) => r.method === req.method);
      if (!route) throw new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method} not allowed here`);
      const principal = await authenticate(req);
      if (!route.public && !principal) throw unauthorized();
      // The guard refuses (and audits) agent tokens' mutation attempts with AGENT_TOKEN.
      if (principal && (route.mutates ?? route.method !== "GET")) guardMutation(principal, req, route);
      // Agent tokens only stream (issue 6): they read and change nothing through the API.
      if (!route.public && principal?.role === "agent") {
        throw new HttpError(403, "AGENT_TOKEN", "agent tokens only stream to /agent");
      }
      const m = route.re.exec(url.pathname);
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => {
        params[n] = decodeComponent(m?.[i + 1] ?? "", "the path");
      });
      const body = await route.handle({ req, params, query: url.searchParams, principal });
      if (body instanceof RestResponse && body.body instanceof Readable) {
        res.writeHead(body.status, { "cache-control": "no-store", ...body.headers });
        // Headers are out: a failure midway can only cut the response short.
        await pipeline(body.body, res).catch((err: unknown) => {
          console.error("nsatlas: streamed response failed:", (err as Error).message);
        });
      } else if (body instanceof RestResponse) {
        res.writeHead(body.status, { "cache-control": "no-store", ...body.headers });
        res.end(body.body === undefined || typeof body.body === "string" ? body.body : JSON.stringify(body.body));
      } else sendJson(res, 200, body);
      return true;
    },
  };
}
