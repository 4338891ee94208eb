import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { FleetStore } from "@nsatlas/hub";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { WebSocketServer } from "ws";
import { originAllowed } from "../auth.js";
import type { RequestAuthenticator } from "../request-auth.js";
import type { GuardedServices, TrpcContext } from "./init.js";
import { appRouter } from "./root.js";

export const TRPC_HTTP_PATH = "/api/trpc";
export const TRPC_WS_PATH = "/api/trpc-ws";

/** tRPC over HTTP (queries, mutations) and over a websocket (subscriptions), sharing one
 * context factory. Browser websockets must come from this server's own Origin. */
export function attachTrpc(fleet: FleetStore, auth: RequestAuthenticator, guarded: GuardedServices) {
  const context = (req: IncomingMessage): TrpcContext => ({
    principal: auth.principal(req),
    fleet,
    guarded,
    sourceIp: req.socket.remoteAddress ?? null,
  });
  const http = createHTTPHandler({
    router: appRouter,
    basePath: `${TRPC_HTTP_PATH}/`,
    createContext: ({ req }) => context(req),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req }) => context(req),
    keepAlive: { enabled: true, pingMs: 15_000, pongWaitMs: 5_000 },
  });
  return {
    handles: (path: string) => path === TRPC_HTTP_PATH || path.startsWith(`${TRPC_HTTP_PATH}/`),
    handleHttp: (req: IncomingMessage, res: ServerResponse) => http(req, res),
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      if (!originAllowed(req) || !auth.principal(req)) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
    },
    close(): void {
      handler.broadcastReconnectNotification();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
