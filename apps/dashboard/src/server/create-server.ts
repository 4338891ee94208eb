import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type ActionService, type AuditStorage, FleetStore, openDatabase, type TokenStorage } from "@nsatlas/hub";
import { ensureAdminToken } from "./admin-token.js";
import { createAgentIngest } from "./agent-ingest.js";
import type { ApiServices } from "./api/api-services.js";
import { openApiDocument } from "./api/openapi-document.js";
import { operations } from "./api/registry.js";
import { auditTokenChanges, openAuditLog, openPgAuditLog, scheduleCheckpoints } from "./audit-setup.js";
import { createAuthenticator } from "./auth.js";
import { openCredentialStores, sharedStores } from "./credential-stores.js";
import { createCredentialWatch } from "./credential-watch.js";
import { ensureDataDir } from "./data-dir.js";
import { guardRequest, guardUpgrade, requestUrl, sendJson } from "./edge.js";
import type { Settings } from "./env.js";
import { type FleetBus, startFleetBus } from "./fleet-bus/fleet-bus.js";
import { createGuardedServices } from "./guarded-services.js";
import { HttpError, unavailable } from "./http-error.js";
import { type LocalAgent, startLocalAgent } from "./local-agent.js";
import { type Logger, serverLogger } from "./logger.js";
import { createPromMetrics } from "./prom-metrics.js";
import { createRefusalLimits } from "./refusal-limits.js";
import { createRequestAuthenticator, readCookie, SESSION_COOKIE } from "./request-auth.js";
import { createRestRouter } from "./rest/router.js";
import { applySecurityHeaders } from "./security-headers.js";
import { newServerMetrics } from "./server-metrics.js";
import { attachTrpc, TRPC_WS_PATH } from "./trpc/attach.js";

export interface StartOptions {
  settings: Settings;
  /** Directory of the Next app (with .next); null serves no UI (API-only, used by tests). */
  nextDir: string | null;
  log?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  fleet: FleetStore;
  tokens: TokenStorage;
  adminToken: { secret: string | null; created: boolean; source: string };
  localAgent: LocalAgent | null;
  /** The audit log and the action service (tests forge frames through its dispatcher). */
  audit: AuditStorage;
  actions: ActionService;
  /** The NATS bridge when NSATLAS_NATS_URL is set: replicas share the fleet. */
  bus: FleetBus | null;
  /** Writes the pending aggregated refusal rows now (tests; the server does it each minute). */
  flushRefusals(): void;
  close(): Promise<void>;
}

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

async function loadNext(dir: string, dev: boolean, server: Server): Promise<NextHandler> {
  const { default: next } = await import("next");
  // Next attaches its own `upgrade` listener to the server it is given and closes sockets it
  // does not know (see shared/toolchain.md); in production it gets a stand-in emitter and
  // this server routes every upgrade itself.
  const app = next({ dev, dir, httpServer: dev ? server : (new EventEmitter() as unknown as Server) });
  await app.prepare();
  return app.getRequestHandler();
}

/** The one dashboard server: Next UI, the agent websocket (/agent), REST, /healthz. */
export async function startServer(o: StartOptions): Promise<RunningServer> {
  const { settings } = o;
  const log = o.log ?? serverLogger(settings);
  const dataDir = ensureDataDir(settings.dataDir);
  const db = openDatabase(join(dataDir, "nsatlas.db"));
  let audit: AuditStorage | null = null;
  const auditTokenChange = auditTokenChanges(() => audit, "system", null);
  let sweepSockets = () => {};
  let stores: Awaited<ReturnType<typeof openCredentialStores>>;
  try {
    stores = await openCredentialStores(settings.database ?? null, db, log, (change) => {
      const recorded = auditTokenChange(change);
      // A revoked or rotated token's open sockets close now (4401), not at their next call.
      if (change.kind !== "create") sweepSockets();
      return recorded;
    });
  } catch (err) {
    db.close();
    throw err;
  }
  // The audit log before any token is made, so that even the first admin token is an event.
  try {
    const notes = { info: (l: string) => log.info(`audit: ${l}`), warn: (l: string) => log.warn(`audit: ${l}`) };
    audit =
      stores.pg && settings.database
        ? await openPgAuditLog(stores.pg, settings.database, dataDir, notes)
        : openAuditLog(db, dataDir, notes);
  } catch (err) {
    db.close();
    await stores.close();
    throw err;
  }
  const { tokens, sessions } = stores;
  const watch = createCredentialWatch(stores.changes, log);
  sweepSockets = () => void watch.sweep();
  const adminToken = await ensureAdminToken(tokens, dataDir, settings.adminToken, stores.shared);
  const auth = createAuthenticator(tokens, settings.adminToken, settings.fleetToken);
  const requestAuth = createRequestAuthenticator(auth, sessions, tokens, settings.adminToken !== null);
  const metrics = newServerMetrics();
  // The store comes first and knows no one: the ingest, the action and capture services
  // subscribe to what it asks of them (close a session, take an action's result, end a capture).
  const fleet = new FleetStore();
  const staleTimer = setInterval(() => fleet.tick(), 1_000);
  staleTimer.unref();

  // With NSATLAS_NATS_URL: the bridge that shares this replica's fleet (started below).
  let bus: FleetBus | null = null;
  const promMetrics = createPromMetrics(fleet, metrics, () => bus?.stats() ?? null);
  // With NSATLAS_TLS_CERT/KEY the same server speaks https and wss (agents across machines).
  const tls = settings.tls ?? null;
  const server = tls
    ? createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) })
    : createHttpServer();
  let nextHandler: NextHandler | null = null;
  let localAgentName: string | null = null;
  const ingest = createAgentIngest({ fleet, auth, localAgentName: null, log, metrics, watch });
  const refusals = createRefusalLimits(audit, { trustedProxies: settings.trustedProxies ?? [], log });
  const guarded = createGuardedServices({
    db,
    dataDir,
    audit,
    fleet,
    settings: settings.guard,
    shared: sharedStores(stores.pg),
    captureSettings: settings.capture,
    sendToSession: (id, frame) => ingest.send(id, frame),
    sendToReplica: (hostId, replica, frame) => bus?.sendAction(hostId, replica, frame) ?? false,
    aggregateRefusal: (row, source, reason) => refusals.record(source, reason, row),
    countAction: (result) => promMetrics.countAction(result),
    log,
  });
  bus = settings.nats
    ? startFleetBus({
        settings: settings.nats,
        fleet,
        log,
        actionTimeoutMs: guarded.settings.actionTimeoutMs,
        sendToLocal: (hostId, frame) => {
          const id = fleet.host(hostId)?.sessionId;
          return id != null && ingest.send(id, frame);
        },
        deliverResult: (hostId, r) => guarded.actions.dispatcher.receive(hostId, r),
      })
    : null;
  // An action's result goes to the replica's bus when another replica waits for it, else here.
  fleet.onSignal((s) => {
    if (s.kind !== "action-result" || bus?.takeResult(s.hostId, s.result)) return;
    guarded.actions.dispatcher.receive(s.hostId, s.result);
  });
  ingest.onCaptureData((hostId, id, pcapng) => guarded.captures.data(hostId, id, pcapng));
  ingest.onAgentEvent(guarded.auditAgent);
  const checkpoints = scheduleCheckpoints(audit, guarded.settings.auditCheckpointMs, log);
  const services: ApiServices = {
    fleet,
    guarded,
    auth,
    sessions,
    refusals,
    metrics: promMetrics,
    sessionEnded: () => void watch.sweep(),
    auditHostRemoval: guarded.auditHostRemoval,
    readiness: () => ({ draining, replica: bus ? { id: bus.replicaId, connected: bus.connected() } : null }),
    openApi: openApiDocument(operations, { actionTimeoutMs: guarded.settings.actionTimeoutMs }),
  };
  const router = createRestRouter(operations, services, (req) => requestAuth.principal(req));
  const trpc = attachTrpc(services, requestAuth, watch);
  // Set when close() begins: requests and upgrades then get 503 + Retry-After, never a
  // credential refusal that an agent would take as final.
  let draining = false;

  server.on(
    "request",
    guardRequest(log, async (req, res) => {
      applySecurityHeaders(req, res, settings.dev);
      // Malformed input is refused here, once, before any handler parses it again.
      const { pathname } = requestUrl(req);
      readCookie(req, SESSION_COOKIE);
      if (draining) throw unavailable("the server is shutting down");
      if (trpc.handles(pathname)) return trpc.handleHttp(req, res);
      if (await router.handle(req, res)) return;
      if (nextHandler) return nextHandler(req, res);
      sendJson(res, 404, { error: { code: "NOT_FOUND", message: "no such route" } });
    }),
  );
  server.on(
    "upgrade",
    guardUpgrade(log, (req, socket, head) => {
      const { pathname } = requestUrl(req);
      if (draining) throw unavailable("the server is shutting down");
      if (pathname === "/agent") return ingest.handleUpgrade(req, socket, head);
      if (pathname === TRPC_WS_PATH) return trpc.handleUpgrade(req, socket, head);
      throw new HttpError(404, "NOT_FOUND", "no websocket here (/agent, /api/trpc-ws)");
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
  const url = `${tls ? "https" : "http"}://${hostForUrl}:${port}`;
  if (o.nextDir !== null) nextHandler = await loadNext(o.nextDir, settings.dev, server);

  let localAgent: LocalAgent | null = null;
  if (settings.localAgent) {
    localAgent = await startLocalAgent({
      tokens,
      dataDir,
      // Over TLS the local agent checks the certificate like any agent: it must name this
      // address (127.0.0.1 when binding 0.0.0.0) and chain to NSATLAS_TLS_CA.
      hubUrl: `${tls ? "wss" : "ws"}://${hostForUrl === "0.0.0.0" ? "127.0.0.1" : hostForUrl}:${port}/agent`,
      extraArgs: [
        ...(tls ? [...settings.localAgentArgs, "--ca-file", tls.caFile] : settings.localAgentArgs),
        // A read-only dashboard's own agent is read-only too: refused at the hub AND the agent.
        ...(guarded.settings.readOnly ? ["--read-only"] : []),
      ],
      agentBin: settings.agentBin ?? null,
      log,
    });
    localAgentName = localAgent.name;
  }
  ingest.setLocalAgentName(localAgentName);

  return {
    url,
    port,
    fleet,
    tokens,
    adminToken,
    localAgent,
    audit,
    actions: guarded.actions,
    bus,
    flushRefusals: () => refusals.flush(),
    async close() {
      draining = true;
      clearInterval(staleTimer);
      watch.close();
      await localAgent?.stop();
      await bus?.close();
      ingest.close();
      trpc.close();
      refusals.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      guarded.close();
      await checkpoints.stop();
      db.close();
      await stores.close();
    },
  };
}
