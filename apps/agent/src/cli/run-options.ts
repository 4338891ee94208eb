import { AGENT_ID_PATTERN } from "@nsatlas/protocol";
import { z } from "zod";
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

/** A flag's value checked by `parse`, whose UsageError message (naming the flag) becomes the
 * schema's issue. */
const checked = <T>(flag: string, parse: (flag: string, text: string) => T) =>
  z.string().transform((text, ctx): T => {
    try {
      return parse(flag, text);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
      return z.NEVER;
    }
  });

function parseHub(flag: string, text: string): URL {
  let hub: URL;
  try {
    hub = new URL(text);
  } catch {
    throw new UsageError(`${flag}: not a URL: ${JSON.stringify(text)}`);
  }
  if (hub.protocol !== "ws:" && hub.protocol !== "wss:") throw new UsageError(`${flag} must be ws:// or wss://`);
  return hub;
}

function parseLabel(flag: string, kv: string): [string, string] {
  const m = /^([A-Za-z0-9_.\-/]{1,63})=(.{0,255})$/.exec(kv);
  if (!m?.[1]) throw new UsageError(`${flag}: expected KEY=VALUE, got ${JSON.stringify(kv)}`);
  return [m[1], m[2] ?? ""];
}

const dir = z.string().transform((v) => v.replace(/\/+$/, "") || "/");

/** The `run` flags and their checks, one line each; every message names its flag. */
const RunFlags = z.object({
  hub: z.array(checked("--hub", parseHub)).default([]),
  "token-file": z.string().optional(),
  "agent-id": z.string().regex(AGENT_ID_PATTERN, "--agent-id: letters, digits, _ . : - only").optional(),
  hostname: z.string().optional(),
  "read-only": z.boolean().default(false),
  insecure: z.boolean().default(false),
  interval: checked("--interval", parseDuration).default(1_000),
  "full-every": checked("--full-every", parseDuration).default(30_000),
  "backoff-base": checked("--backoff-base", parseDuration).default(1_000),
  label: z.array(checked("--label", parseLabel)).default([]),
  "ca-file": z.string().optional(),
  metrics: checked("--metrics", parseListenAddress).optional(),
  "metrics-token-file": z.string().optional(),
  "proc-root": dir.default("/proc"),
  "netns-dir": dir.default("/run/netns"),
  "etc-netns-dir": dir.default("/etc/netns"),
  help: z.boolean().default(false),
});

/** Parses `run` arguments strictly; unknown flags and bad values are usage errors (exit 2). */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const engines = defaultEngineOptions();
  // A later flag overrides an earlier one; --hub and --label accumulate.
  const raw: Record<string, string | boolean | string[]> = { hub: [], label: [] };
  for (const f of strictFlags(argv, RUN_FLAGS)) {
    if (readEngineFlag(f, engines)) continue;
    const name = f.flag.slice(2);
    if (name === "hub" || name === "label") (raw[name] as string[]).push(f.value ?? "");
    else raw[name] = f.value ?? true;
  }
  const parsed = RunFlags.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? "bad arguments");
  const v = parsed.data;
  const o: Omit<RunOptions, "hub"> & { hub: URL | null } = {
    hub: v.hub[0] ?? null,
    hubs: v.hub,
    tokenFile: v["token-file"] ?? null,
    agentId: v["agent-id"] ?? null,
    hostname: v.hostname ?? null,
    readOnly: v["read-only"],
    intervalMs: v.interval,
    fullEveryMs: v["full-every"],
    backoffBaseMs: v["backoff-base"],
    procRoot: v["proc-root"],
    netnsDir: v["netns-dir"],
    etcNetnsDir: v["etc-netns-dir"],
    labels: Object.fromEntries(v.label),
    caFile: v["ca-file"] ?? null,
    insecure: v.insecure,
    metrics: v.metrics ?? null,
    metricsTokenFile: v["metrics-token-file"] ?? null,
    help: v.help,
    ...engines,
  };
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
