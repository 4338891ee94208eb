import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { admit, asApiError } from "../api/access.js";
import type { ApiServices } from "../api/api-services.js";
import type { AnyOperation, RestBinding } from "../api/operation.js";
import { RestResponse } from "../api/rest-response.js";
import type { Principal } from "../auth.js";
import { decodeComponent, requestUrl, sendJson } from "../edge.js";
import { HttpError } from "../http-error.js";
import { sourceIpOf } from "../request-meta.js";

/** One row of the router's table: an operation's REST binding, compiled. */
export interface RestRoute {
  op: AnyOperation;
  binding: RestBinding<unknown, unknown>;
  re: RegExp;
  names: string[];
}

/** The router's table: every operation with a REST binding, its path as a pattern. */
export function restTable(operations: readonly AnyOperation[]): RestRoute[] {
  return operations.flatMap((op) => {
    const binding = op.rest;
    if (!binding) return [];
    const names: string[] = [];
    const re = new RegExp(
      `^${binding.path.replace(/\{(\w+)\}/g, (_, n: string) => {
        names.push(n);
        return "([^/]+)";
      })}$`,
    );
    return [{ op, binding, re, names }];
  });
}

async function send(res: ServerResponse, answer: unknown, success: number): Promise<void> {
  if (answer instanceof RestResponse && answer.body instanceof Readable) {
    res.writeHead(answer.status, { "cache-control": "no-store", ...answer.headers });
    // Headers are out: a failure midway can only cut the response short.
    await pipeline(answer.body, res).catch((err: unknown) => {
      console.error("nsatlas: streamed response failed:", (err as Error).message);
    });
  } else if (answer instanceof RestResponse) {
    res.writeHead(answer.status, { "cache-control": "no-store", ...answer.headers });
    res.end(answer.body === undefined || typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
  } else if (success === 204) {
    res.writeHead(204, { "cache-control": "no-store" });
    res.end();
  } else sendJson(res, 200, answer);
}

/** The REST router of the operations: matches method and path, admits the caller (the one
 * gate of `admit`), reads the input, runs the operation. Errors reach the server's guarded
 * entry (`edge.ts`), which answers them: an HttpError as itself, the rest as 500. */
export function createRestRouter(
  operations: readonly AnyOperation[],
  services: ApiServices,
  authenticate: (req: IncomingMessage) => Promise<Principal | null>,
) {
  const table = restTable(operations);
  return {
    table,
    /** Handles the request if a route's path matches; returns false otherwise. */
    async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const url = requestUrl(req);
      const matching = table.filter((r) => r.re.test(url.pathname));
      if (matching.length === 0) return false;
      const route = matching.find((r) => r.binding.method === req.method);
      if (!route) throw new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method} not allowed here`);
      const { op, binding } = route;
      const principal = await authenticate(req);
      const sourceIp = sourceIpOf(req);
      admit(op, principal, services, `${binding.method} ${binding.path}`, sourceIp);
      const m = route.re.exec(url.pathname);
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => {
        params[n] = decodeComponent(m?.[i + 1] ?? "", "the path");
      });
      try {
        const input = await binding.input({ req, services, params, query: url.searchParams });
        const output = await op.handle({ services, input, principal, sourceIp, req });
        const answer = binding.reply && !(output instanceof RestResponse) ? binding.reply(output, input) : output;
        await send(res, answer, binding.success ?? 200);
      } catch (err) {
        throw asApiError(err);
      }
      return true;
    },
  };
}
