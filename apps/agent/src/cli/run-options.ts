import { AGENT_ID_PATTERN } from "@nsatlas/protocol";
import { parseDuration } from "./duration.js";
import {
  defaultEngineOptions,
  ENGINE_FLAGS,
  ENGINE_USAGE,
  type EngineCliOptions,
  readEngineFlag,
} from "./engine-options.js";
import { type FlagSpec, SWITCH, strictFlags, VALUE } from "./strict-args.js";
import { UsageError } from "./usage-error.js";

export interface RunOptions extends EngineCliOptions {
  /** The first --hub. */
  hub: URL;
  /** Every --hub in order: the first that answers is used, the others when it goes away. */
  hubs: URL[];
  tokenFile: string | null;
  agentId: string | null;
  hostname: string | null;
  readOnly: boolean;
  intervalMs: number;
  fullEveryMs: number;
  backoffBaseMs: number;
  procRoot: string;
  netnsDir: string;
  /** Per-stack /etc files, read by the scan and written by netns.file.* actions. */
  etcNetnsDir: string;
  labels: Record<string, string>;
  caFile: string | null;
  insecure: boolean;
  /** --metrics HOST:PORT: serve /metrics (bearer) and /healthz there. */
  metrics: { host: string; port: number } | null;
  metricsTokenFile: string | null;
  help: boolean;
}

export const RUN_USAGE = `usage: nsatlas-agent run --hub ws://HOST:PORT/agent [options]

  --hub URL            the dashboard's agent endpoint (ws:// or wss://); repeatable: the
                       first that answers is used, the next ones in order when it goes away
  --token-file FILE    agent token (else NSATLAS_AGENT_TOKEN)
  --agent-id ID        this host's id (default /etc/machine-id)
  --hostname NAME      name shown for this host (default: the kernel's)
  --read-only          never execute actions; advertise none
  --interval D         fast tick: new/exited processes (default 1s)
  --full-every D       full rescan period (default 30s)
  --backoff-base D     first reconnect delay; doubles up to 60s, jittered (default 1s)
  --label K=V          a label for fleet filtering (repeatable)
  --ca-file FILE       CA bundle to trust for wss://
  --insecure           allow plain ws:// to a non-loopback hub
  --metrics HOST:PORT  serve Prometheus /metrics (bearer token) and /healthz, e.g. 127.0.0.1:9464
  --metrics-token-file FILE  the bearer token /metrics requires (needed with --metrics)
  --proc-root DIR, --netns-dir DIR
  --etc-netns-dir DIR  per-stack /etc files to report and write (default /etc/netns)
${ENGINE_USAGE}Durations: an integer plus ms, s, m, h or d (a bare number is seconds), at least 100ms.
`;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** "HOST:PORT" or "[v6]:PORT" of a listening socket. */
export function parseListenAddress(flag: string, text: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m?.[1] || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`${flag}: expected HOST:PORT (e.g. 127.0.0.1:9464), got ${JSON.stringify(text)}`);
  }
  return { host: m[1].replace(/^\[|\]$/g, ""), port };
}

const RUN_FLAGS: FlagSpec = {
  hub: VALUE,
  "token-file": VALUE,
  "agent-id": VALUE,
  hostname: VALUE,
  "read-only": SWITCH,
  insecure: SWITCH,
  interval: VALUE,
  "full-every": VALUE,
  "backoff-base": VALUE,
  label: VALUE,
  "ca-file": VALUE,
  metrics: VALUE,
  "metrics-token-file": VALUE,
  "proc-root": VALUE,
  "netns-dir": VALUE,
  "etc-netns-dir": VALUE,
  help: { type: "boolean", short: "h" },
  ...ENGINE_FLAGS,
};

/** Parses `run` arguments strictly; unknown flags are usage errors (exit 2). */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const o: Omit<RunOptions, "hub"> & { hub: URL | null } = {
    hub: null,
    hubs: [],
    tokenFile: null,
    agentId: null,
    hostname: null,
    readOnly: false,
    intervalMs: 1_000,
    fullEveryMs: 30_000,
    backoffBaseMs: 1_000,
    procRoot: "/proc",
    netnsDir: "/run/netns",
    etcNetnsDir: "/etc/netns",
    labels: {},
    caFile: null,
    insecure: false,
    metrics: null,
    metricsTokenFile: null,
    help: false,
    ...defaultEngineOptions(),
  };
  for (const f of strictFlags(argv, RUN_FLAGS)) {
    const value = f.value ?? "";
    switch (f.flag) {
      case "--hub": {
        const text = value;
        let url: URL;
        try {
          url = new URL(text);
        } catch {
          throw new UsageError(`--hub: not a URL: ${JSON.stringify(text)}`);
        }
        if (url.protocol !== "ws:" && url.protocol !== "wss:") throw new UsageError("--hub must be ws:// or wss://");
        o.hub ??= url;
        o.hubs.push(url);
        break;
      }
      case "--token-file":
        o.tokenFile = value;
        break;
      case "--agent-id":
        o.agentId = value;
        if (!AGENT_ID_PATTERN.test(o.agentId)) throw new UsageError("--agent-id: letters, digits, _ . : - only");
        break;
      case "--hostname":
        o.hostname = value;
        break;
      case "--read-only":
        o.readOnly = true;
        break;
      case "--insecure":
        o.insecure = true;
        break;
      case "--interval":
        o.intervalMs = parseDuration(f.flag, value);
        break;
      case "--full-every":
        o.fullEveryMs = parseDuration(f.flag, value);
        break;
      case "--backoff-base":
        o.backoffBaseMs = parseDuration(f.flag, value);
        break;
      case "--label": {
        const kv = value;
        const m = /^([A-Za-z0-9_.\-/]{1,63})=(.{0,255})$/.exec(kv);
        if (!m?.[1]) throw new UsageError(`--label: expected KEY=VALUE, got ${JSON.stringify(kv)}`);
        o.labels[m[1]] = m[2] ?? "";
        break;
      }
      case "--ca-file":
        o.caFile = value;
        break;
      case "--metrics":
        o.metrics = parseListenAddress(f.flag, value);
        break;
      case "--metrics-token-file":
        o.metricsTokenFile = value;
        break;
      case "--proc-root":
        o.procRoot = value.replace(/\/+$/, "") || "/";
        break;
      case "--netns-dir":
        o.netnsDir = value.replace(/\/+$/, "") || "/";
        break;
      case "--etc-netns-dir":
        o.etcNetnsDir = value.replace(/\/+$/, "") || "/";
        break;
      case "--help":
        o.help = true;
        break;
      default:
        readEngineFlag(f, o);
    }
  }
  if (o.help) return { ...o, hub: o.hub ?? new URL("ws://127.0.0.1:3000/agent") };
  if (!o.hub) throw new UsageError("--hub is required");
  // Metrics say what runs on this host: never served without a credential.
  if (o.metrics && !o.metricsTokenFile) throw new UsageError("--metrics needs --metrics-token-file");
  for (const hub of o.hubs) {
    if (hub.protocol === "ws:" && !LOOPBACK.test(hub.hostname) && !o.insecure) {
      throw new UsageError(`refusing plain ws:// to non-loopback ${hub.hostname}: use wss:// (or --insecure)`);
    }
  }
  return { ...o, hub: o.hub };
}
