import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { bearerSecret } from "@nsatlas/protocol";
import type { AgentMetrics } from "./agent-metrics.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison of a request's bearer secret with the expected token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const secret = bearerSecret(header);
  return secret !== null && timingSafeEqual(digest(secret), digest(token));
}

/** The path of a request target, or null when it is not a URL (e.g. `http://[x/`). */
export function requestPath(target: string | undefined): string | null {
  try {
    return new URL(target ?? "/", "http://localhost").pathname;
  } catch {
    return null;
  }
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** The agent's own small HTTP endpoint: `/metrics` (Prometheus, bearer token) and
 * `/healthz` (no token: 200 while connected to the hub, else 503 — for container probes). */
export async function startMetricsServer(o: {
  host: string;
  port: number;
  token: string;
  metrics: AgentMetrics;
  connected: () => boolean;
  log: (m: string) => void;
}): Promise<MetricsServer> {
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  // The one guarded entry of the `request` listener: nothing a client sends throws out of it.
  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      o.log(`metrics server: ${(err as Error)?.message ?? err}`);
      if (res.headersSent) res.destroy();
      else json(res, 500, { error: { code: "INTERNAL", message: "internal error" } });
    }
  });
  function handle(req: IncomingMessage, res: ServerResponse) {
    const path = requestPath(req.url);
    if (path === null) return json(res, 400, { error: { code: "BAD_URL", message: "malformed request URL" } });
    if (req.method !== "GET") return json(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "GET only" } });
    if (path === "/healthz") {
      const connected = o.connected();
      return json(res, connected ? 200 : 503, { ok: connected, connected });
    }
    if (path !== "/metrics") return json(res, 404, { error: { code: "NOT_FOUND", message: "no such route" } });
    if (!bearerMatches(req.headers.authorization, o.token)) {
      return json(res, 401, { error: { code: "UNAUTHORIZED", message: "missing or bad bearer token" } });
    }
    o.metrics.render().then(
      (text) => {
        res.writeHead(200, { "content-type": o.metrics.contentType });
        res.end(text);
      },
      (err: unknown) => {
        o.log(`metrics: ${(err as Error).message}`);
        json(res, 500, { error: { code: "INTERNAL", message: "metrics failed" } });
      },
    );
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
