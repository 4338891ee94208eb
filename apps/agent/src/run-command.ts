import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { HelloFrame, Inventory } from "@nsatlas/protocol";
import { PROTOCOL_VERSION } from "@nsatlas/protocol";
import { scan } from "@nsatlas/scanner";
import { parseRunArgs, RUN_USAGE, type RunOptions } from "./cli/run-options.js";
import { UsageError } from "./cli/usage-error.js";
import { Backoff } from "./run/backoff.js";
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
  try {
    return readFileSync("/etc/machine-id", "utf8").trim();
  } catch {
    throw new UsageError("no /etc/machine-id: pass --agent-id");
  }
}

/** `nsatlas-agent run`: scan, then stream changes to the hub until stopped. Resolves to the exit code. */
export function runAgent(argv: readonly string[]): Promise<number> {
  const o = parseRunArgs(argv);
  if (o.help) {
    process.stdout.write(RUN_USAGE);
    return Promise.resolve(0);
  }
  const token = readToken(o);
  const agentId = o.agentId ?? machineId();
  const ca = o.caFile ? readFileSync(o.caFile) : undefined;
  const log = (m: string) => process.stderr.write(`${new Date().toISOString()} nsatlas-agent: ${m}\n`);
  const scanOnce = (): Inventory => {
    const inv = scan({
      procRoot: o.procRoot,
      netnsDir: o.netnsDir,
      euid: process.geteuid?.() ?? -1,
      ownPid: process.pid,
    });
    if (o.hostname) inv.host.hostname = o.hostname;
    return inv;
  };

  return new Promise((resolve) => {
    const loop = new ScanLoop({
      scanOnce,
      procRoot: o.procRoot,
      netnsDir: o.netnsDir,
      intervalMs: o.intervalMs,
      fullEveryMs: o.fullEveryMs,
      onChange: (changes) => uplink.sendChanges(changes),
      onError: (err) => log(`scan failed: ${(err as Error).message}`),
    });
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
        capabilities: [],
        labels: o.labels,
      };
    };
    const uplink = new Uplink({
      url: o.hub,
      token,
      hello,
      inventory: () => loop.current(),
      backoff: new Backoff(o.backoffBaseMs),
      ...(ca ? { ca } : {}),
      log,
      onFatal: (err) => {
        log(err.message);
        stop(err.exitCode);
      },
    });
    const stop = (code: number) => {
      loop.stop();
      uplink.stop();
      resolve(code);
    };
    process.once("SIGTERM", () => stop(0));
    process.once("SIGINT", () => stop(0));
    loop.start();
    uplink.start();
  });
}
