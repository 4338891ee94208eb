import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentMetrics } from "./agent-metrics.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison of a request's bearer secret with the expected token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), digest(token));
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
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "GET") return json(405, { error: { code: "METHOD_NOT_ALLOWED", message: "GET only" } });
    if (path === "/healthz") {
      const connected = o.connected();
      return json(connected ? 200 : 503, { ok: connected, connected });
    }
    if (path !== "/metrics") return json(404, { error: { code: "NOT_FOUND", message: "no such route" } });
    if (!bearerMatches(req.headers.authorization, o.token)) {
      return json(401, { error: { code: "UNAUTHORIZED", message: "missing or bad bearer token" } });
    }
    o.metrics.render().then(
      (text) => {
        res.writeHead(200, { "content-type": o.metrics.contentType });
        res.end(text);
      },
      (err: unknown) => {
        o.log(`metrics: ${(err as Error).message}`);
        json(500, { error: { code: "INTERNAL", message: "metrics failed" } });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
