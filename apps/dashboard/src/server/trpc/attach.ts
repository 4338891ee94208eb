import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { CloseCode } from "@nsatlas/protocol";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { type WebSocket, WebSocketServer } from "ws";
import type { ApiServices } from "../api/api-services.js";
import { originAllowed } from "../auth.js";
import type { CredentialWatch } from "../credential-watch.js";
import { HttpError } from "../http-error.js";
import type { RequestAuthenticator } from "../request-auth.js";
import { sourceIpOf } from "../request-meta.js";
import type { TrpcContext } from "./init.js";
import { appRouter } from "./root.js";
import { boundOutput } from "./ws-backpressure.js";

export const TRPC_HTTP_PATH = "/api/trpc";
export const TRPC_WS_PATH = "/api/trpc-ws";
/** Request bodies are capped like REST's action bodies (413 beyond). */
export const MAX_TRPC_BODY_BYTES = 512 * 1024;

/** tRPC over HTTP (queries, mutations) and over a websocket (subscriptions), sharing one
 * context factory. The credential is checked on every call (an open websocket outlives a
 * revoked token); browser websockets must come from this server's own Origin. */
export function attachTrpc(services: ApiServices, auth: RequestAuthenticator, watch: CredentialWatch) {
  const context = (req: IncomingMessage, ws: WebSocket | null): TrpcContext => ({
    authenticate: () => auth.principal(req),
    unauthorized: () => ws?.close(CloseCode.unauthorized, "credential revoked or session ended"),
    fleet: services.fleet,
    services,
    req,
    sourceIp: sourceIpOf(req),
  });
  const http = createHTTPHandler({
    router: appRouter,
    basePath: `${TRPC_HTTP_PATH}/`,
    maxBodySize: MAX_TRPC_BODY_BYTES,
    createContext: ({ req }) => context(req, null),
    responseMeta: ({ errors }) => {
      const busy = errors.find((e) => e.code === "SERVICE_UNAVAILABLE" || e.code === "TOO_MANY_REQUESTS");
      return busy ? { headers: { "retry-after": "5" } } : {};
    },
  });
  // permessage-deflate, as browsers offer it: live changes repeat the inventory's keys.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, perMessageDeflate: true });
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, res }) => context(req, res as WebSocket),
    keepAlive: { enabled: true, pingMs: 15_000, pongWaitMs: 5_000 },
  });
  return {
    handles: (path: string) => path === TRPC_HTTP_PATH || path.startsWith(`${TRPC_HTTP_PATH}/`),
    handleHttp: (req: IncomingMessage, res: ServerResponse) => http(req, res),
    async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
      // auth.principal throws an HttpError (400 malformed cookie, 503 cannot check): the
      // server's guarded upgrade entry answers it.
      if (!originAllowed(req) || !(await auth.principal(req))) {
        throw new HttpError(401, "UNAUTHORIZED", "log in first");
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        boundOutput(ws);
        const unwatch = watch.add({
          alive: async () => (await auth.principal(req)) !== null,
          close: (code, reason) => ws.close(code, reason),
        });
        ws.once("close", unwatch);
        wss.emit("connection", ws, req);
      });
    },
    close(): void {
      handler.broadcastReconnectNotification();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
