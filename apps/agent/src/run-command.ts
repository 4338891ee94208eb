import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { watchMountTable } from "@nsatlas/native";
import type { HelloFrame, Inventory } from "@nsatlas/protocol";
import { ACTIONS_CAPABILITY, PROTOCOL_VERSION } from "@nsatlas/protocol";
import { CachedMountTables, onNsfsMountsChange, type ScanOptions, scan, scanAsync } from "@nsatlas/scanner";
import { createLogger } from "@nsatlas/service/logger";
import { readMachineId } from "@nsatlas/service/machine-id";
import { ActionExecutor } from "./actions/action-executor.js";
import { execFileRunner } from "./actions/command-runner.js";
import { CaptureManager } from "./capture/capture-manager.js";
import { parseRunArgs, RUN_USAGE, type RunOptions } from "./cli/run-options.js";
import { UsageError } from "./cli/usage-error.js";
import { AgentEngines } from "./engines/agent-engines.js";
import type { AgentMetrics } from "./run/agent-metrics.js";
import { Backoff } from "./run/backoff.js";
import { kernelProcessEvents } from "./run/kernel-process-events.js";
import type { MetricsServer } from "./run/metrics-server.js";
import { ScanLoop } from "./run/scan-loop.js";
import { Uplink } from "./run/uplink.js";

const VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

function readToken(o: RunOptions): string {
  if (o.tokenFile !== null) {
    try {
      const t = readFileSync(o.tokenFile, "utf8").trim();
      if (t) return t;
    } catch (err) {
      throw new UsageError(`--token-file ${o.tokenFile}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    throw new UsageError(`--token-file ${o.tokenFile} is empty`);
  }
  const env = process.env.NSATLAS_AGENT_TOKEN;
  if (env) return env;
  throw new UsageError("no token: pass --token-file FILE or set NSATLAS_AGENT_TOKEN");
}

function machineId(): string {
  const id = readMachineId();
  if (id === null) throw new UsageError("no /etc/machine-id: pass --agent-id");
  return id;
}

function readMetricsToken(file: string): string {
  try {
    const t = readFileSync(file, "utf8").trim();
    if (t) return t;
  } catch (err) {
    throw new UsageError(`--metrics-token-file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  throw new UsageError(`--metrics-token-file ${file} is empty`);
}

/** `nsatlas-agent run`: scan, then stream changes to the hub until stopped. Resolves to the exit code. */
export async function runAgent(argv: readonly string[]): Promise<number> {
  const o = parseRunArgs(argv);
  if (o.help) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  const token = readToken(o);
  const agentId = o.agentId ?? machineId();
  const ca = o.caFile ? readFileSync(o.caFile) : undefined;
  // JSON lines on stderr (journald, docker logs); readable ones on a terminal in development.
  const logger = createLogger({
    name: "nsatlas-agent",
    pretty: process.stderr.isTTY === true && process.env.NODE_ENV !== "production",
  });
  const log = (m: string) => logger.info(m);
  const metricsToken = o.metrics && o.metricsTokenFile ? readMetricsToken(o.metricsTokenFile) : null;
  // prom-client is loaded only when asked for: an agent without --metrics does not pay for it.
  let metrics: AgentMetrics | null = null;
  const live: { loop: ScanLoop | null; uplink: Uplink | null } = { loop: null, uplink: null };
  if (metricsToken !== null) {
    const { createAgentMetrics } = await import("./run/agent-metrics.js");
    metrics = createAgentMetrics({
      inventory: () => live.loop?.current() ?? null,
      uplink: () => ({
        connected: live.uplink?.connected ?? false,
        framesSent: live.uplink?.framesSent ?? 0,
        framesReceived: live.uplink?.framesReceived ?? 0,
        resyncs: live.uplink?.resyncs ?? 0,
      }),
    });
  }
  // Engines are watched (events, relist on reconnect); a change of theirs re-joins the last
  // kernel scan at once (coalesced), without scanning the kernel again.
  let raw: Inventory | null = null;
  let rejoin: NodeJS.Immediate | null = null;
  const engines = new AgentEngines(
    o,
    () => {
      if (rejoin) return;
      rejoin = setImmediate(() => {
        rejoin = null;
        if (raw) live.loop?.replace(engines.joinCopy(raw));
      });
    },
    true,
  );
  // The first scan names containers only if the engines answered by then (bounded wait).
  await engines.settled(2_500);
  // Mount tables are re-read only when they changed (poll(2) on each one's mountinfo).
  const mountTables = new CachedMountTables();
  const scanOptions = (reuse?: Inventory["processes"]): ScanOptions => ({
    procRoot: o.procRoot,
    netnsDir: o.netnsDir,
    etcNetnsDir: o.etcNetnsDir,
    euid: process.geteuid?.() ?? -1,
    ownPid: process.pid,
    mountTables,
    ...(reuse ? { reuse } : {}),
  });
  const scanned = (kernel: Inventory, started: number): Inventory => {
    if (o.hostname) kernel.host.hostname = o.hostname;
    raw = kernel;
    const inv = engines.joinCopy(kernel);
    metrics?.observeScan((performance.now() - started) / 1000);
    return inv;
  };
  const scanOnce = (reuse?: Inventory["processes"]): Inventory => {
    const started = performance.now();
    return scanned(scan(scanOptions(reuse)), started);
  };
  // The resident loop's scans walk /proc and read stacks as async work: heartbeats and
  // actions are served while a scan runs.
  const scanInBackground = async (reuse?: Inventory["processes"]): Promise<Inventory> => {
    const started = performance.now();
    return scanned(await scanAsync(scanOptions(reuse)), started);
  };
  let metricsServer: MetricsServer | null = null;
  if (metrics && o.metrics && metricsToken !== null) {
    const { startMetricsServer } = await import("./run/metrics-server.js");
    try {
      metricsServer = await startMetricsServer({
        ...o.metrics,
        token: metricsToken,
        metrics,
        connected: () => live.uplink?.connected ?? false,
        log,
      });
    } catch (err) {
      throw new UsageError(`--metrics ${o.metrics.host}:${o.metrics.port}: ${(err as Error).message}`);
    }
    log(`metrics on http://${o.metrics.host}:${metricsServer.port}/metrics`);
  }

  return new Promise((resolve) => {
    const loop = new ScanLoop({
      scanOnce,
      scanAsync: scanInBackground,
      // Only pins matter: other mounts of a busy host would otherwise each cost a scan.
      watchMounts: (onChange) =>
        watchMountTable("/proc/self/mountinfo", onNsfsMountsChange("/proc/self/mountinfo", onChange)),
      procRoot: o.procRoot,
      netnsDir: o.netnsDir,
      intervalMs: o.intervalMs,
      fullEveryMs: o.fullEveryMs,
      onChange: (changes) => uplink.sendChanges(changes),
      onError: (err) => log(`scan failed: ${(err as Error).message}`),
      processEvents: kernelProcessEvents,
    });
    log(
      loop.processPolling === null
        ? "process starts and exits: kernel process events"
        : `process starts and exits: polling ${o.procRoot} every ${o.intervalMs} ms (no process events: ${loop.processPolling})`,
    );
    const hello = (): HelloFrame => {
      const host = loop.current().host;
      return {
        type: "hello",
        protocol: PROTOCOL_VERSION,
        agentId,
        hostname: o.hostname ?? host.hostname,
        bootId: host.bootId,
        version: VERSION,
        readOnly: o.readOnly,
        capabilities: actions ? [ACTIONS_CAPABILITY] : [],
        labels: o.labels,
      };
    };
    // Captures stream over the uplink; --read-only agents have none (no executor reaches it).
    const captures: CaptureManager | null = o.readOnly
      ? null
      : new CaptureManager({
          sink: {
            data: (id, pcapng) => uplink.sendCaptureData(id, pcapng),
            end: (frame) => uplink.sendCaptureEnd(frame),
            backlog: () => uplink.backlog,
          },
          ownNetInode: () => statSync("/proc/self/ns/net").ino,
          uplink: () => uplink.endpoints,
          log,
        });
    // --read-only: no action handler exists at all, and none is advertised.
    const executor = o.readOnly
      ? null
      : new ActionExecutor({
          netnsDir: o.netnsDir,
          etcNetnsDir: o.etcNetnsDir,
          ownNetInode: () => statSync("/proc/self/ns/net").ino,
          run: execFileRunner(),
          afterChange: () => loop.scanNow(),
          log,
          ...(captures ? { captures } : {}),
        });
    // Each answer is counted by result (nsatlas_actions_total) when --metrics is on.
    const actions = executor && {
      handle: async (raw: unknown) => {
        const result = await executor.handle(raw);
        metrics?.countAction(result.status);
        return result;
      },
    };
    const uplink: Uplink = new Uplink({
      url: o.hub,
      urls: o.hubs,
      token,
      hello,
      inventory: () => loop.current(),
      actions,
      ...(captures ? { captures } : {}),
      backoff: new Backoff(o.backoffBaseMs),
      ...(ca ? { ca } : {}),
      log,
      onFatal: (err) => {
        log(err.message);
        stop(err.exitCode);
      },
    });
    live.loop = loop;
    live.uplink = uplink;
    const stop = (code: number) => {
      captures?.stopAll("stopped");
      loop.stop();
      mountTables.close();
      engines.stop();
      uplink.stop();
      metricsServer?.close().catch(() => {}); // the process exits right after: nothing to wait for
      resolve(code);
    };
    process.once("SIGTERM", () => stop(0));
    process.once("SIGINT", () => stop(0));
    loop.start();
    uplink.start();
  });
}
