import { homedir } from "node:os";
import { join } from "node:path";
import { parseDuration } from "@nsatlas/service/duration";
import { describeEnvIssues, type Env, EnvSchema } from "./env-schema.js";
import { type NatsSettings, natsSettingsFrom } from "./fleet-bus/nats-settings.js";

/** Every setting of the dashboard server; the only module that reads process.env (its
 * variables and their checks are EnvSchema, env-schema.ts). */
export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  /** NSATLAS_ADMIN_TOKEN: an admin token that is never stored. */
  adminToken: string | null;
  /** NSATLAS_AGENT_TOKEN: the shared fleet token (agents self-declare their id: view-only). */
  fleetToken: string | null;
  /** NSATLAS_LOCAL_AGENT=0 disables the agent for this host (default on). */
  localAgent: boolean;
  /** Extra arguments for the local agent (NSATLAS_LOCAL_AGENT_ARGS, space-separated). */
  localAgentArgs: string[];
  /** NSATLAS_AGENT_BIN: the nsatlas-agent program the local agent runs (default: the one of
   * the @nsatlas/agent package, when it is installed). */
  agentBin?: string | null;
  dev: boolean;
  /** NSATLAS_LOG_LEVEL: fatal, error, warn, info (default), debug, trace or silent. */
  logLevel?: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** NSATLAS_TLS_CERT + NSATLAS_TLS_KEY (PEM files): serve https and wss; absent: plain http. */
  tls?: TlsSettings | null;
  /** NSATLAS_TRUSTED_PROXIES: peers (IP addresses, comma-separated) whose X-Forwarded-For
   * names the real source of a request (for the per-source limits); default none. */
  trustedProxies?: string[];
  /** Guarded actions, audit log and history; absent fields take the defaults below. */
  guard?: Partial<GuardSettings>;
  /** NSATLAS_NATS_*: replicas share the fleet through NATS; absent: this process is the fleet. */
  nats?: NatsSettings | null;
  /** NSATLAS_DATABASE_URL (postgres://…): tokens, sessions, plans, audit and history live in
   * PostgreSQL, shared by replicas; absent: the data dir's SQLite file. */
  database?: DatabaseSettings | null;
  /** Packet capture; absent fields take CAPTURE_SETTING_DEFAULTS. */
  capture?: Partial<CaptureSettings>;
}

export interface DatabaseSettings {
  url: string;
  /** NSATLAS_AUDIT_KEY_FILE: the audit HMAC key every replica is given (required with a URL). */
  auditKeyFile: string;
  /** NSATLAS_AUDIT_SIGNING_KEY_FILE: the Ed25519 checkpoint key every replica is given. */
  auditSigningKeyFile: string;
}

/** NSATLAS_DATABASE_URL and the key files it needs (the CLI reads them too). */
export function databaseFrom(env: NodeJS.ProcessEnv = process.env): DatabaseSettings | null {
  const url = env.NSATLAS_DATABASE_URL || null;
  if (url === null) return null;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new SettingsError("NSATLAS_DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  const auditKeyFile = env.NSATLAS_AUDIT_KEY_FILE || null;
  const auditSigningKeyFile = env.NSATLAS_AUDIT_SIGNING_KEY_FILE || null;
  if (auditKeyFile === null || auditSigningKeyFile === null) {
    throw new SettingsError(
      "NSATLAS_DATABASE_URL needs NSATLAS_AUDIT_KEY_FILE and NSATLAS_AUDIT_SIGNING_KEY_FILE: every replica signs one audit chain with the same keys (make them with `nsatlas audit keys DIR`)",
    );
  }
  return { url, auditKeyFile, auditSigningKeyFile };
}

export interface CaptureSettings {
  /** NSATLAS_CAPTURE_RETENTION: how long an ended capture's file is kept (default 1h). */
  retentionMs: number;
  /** NSATLAS_CAPTURE_MAX_BYTES: capture files on disk at most, together (default 1 GiB). */
  maxDiskBytes: number;
  /** NSATLAS_CAPTURE_CONCURRENT: running captures per host at most (default 4). */
  concurrent: number;
  /** NSATLAS_CAPTURE_ROLES: roles that may read packets besides admin and operator (only widens). */
  readingRoles: Array<"admin" | "operator" | "auditor">;
}

export const CAPTURE_SETTING_DEFAULTS: CaptureSettings = {
  retentionMs: 3_600_000,
  maxDiskBytes: 1024 * 1024 * 1024,
  concurrent: 4,
  readingRoles: [],
};

function captureFrom(env: NodeJS.ProcessEnv): CaptureSettings {
  const d = CAPTURE_SETTING_DEFAULTS;
  const int = (name: string, fallback: number, min: number) => {
    const v = env[name];
    if (!v) return fallback;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min) throw new SettingsError(`${name} must be an integer of at least ${min}`);
    return n;
  };
  const roles = (env.NSATLAS_CAPTURE_ROLES ?? "").split(/[\s,]+/).filter(Boolean);
  const bad = roles.find((r) => !["admin", "operator", "auditor"].includes(r));
  if (bad !== undefined) {
    throw new SettingsError(`NSATLAS_CAPTURE_ROLES lists admin, operator or auditor, got ${JSON.stringify(bad)}`);
  }
  return {
    retentionMs: env.NSATLAS_CAPTURE_RETENTION
      ? parseSettingDuration("NSATLAS_CAPTURE_RETENTION", env.NSATLAS_CAPTURE_RETENTION)
      : d.retentionMs,
    maxDiskBytes: int("NSATLAS_CAPTURE_MAX_BYTES", d.maxDiskBytes, 1024 * 1024),
    concurrent: int("NSATLAS_CAPTURE_CONCURRENT", d.concurrent, 1),
    readingRoles: roles as CaptureSettings["readingRoles"],
  };
}

export interface GuardSettings {
  /** NSATLAS_READ_ONLY=1|true: every mutation is refused (403 + audit row), whoever asks. */
  readOnly: boolean;
  /** NSATLAS_PLAN_TTL: how long a plan can be confirmed (default 5m). */
  planTtlMs: number;
  /** NSATLAS_ACTION_TIMEOUT: how long a confirmed action waits for the agent (default 30s). */
  actionTimeoutMs: number;
  /** NSATLAS_AUDIT_RETENTION: audit rows older than this are pruned (recorded); null keeps all. */
  auditRetentionMs: number | null;
  /** NSATLAS_AUDIT_CHECKPOINT: how often the audit head is signed when it moved (default 1m). */
  auditCheckpointMs: number;
  /** NSATLAS_HISTORY_RETENTION: how long disappeared items stay in the history (default 30d). */
  historyRetentionMs: number;
  /** NSATLAS_HISTORY_MAX_ROWS: history rows kept per host at most (default 200000). */
  historyMaxRows: number;
}

export const GUARD_DEFAULTS: GuardSettings = {
  readOnly: false,
  planTtlMs: 5 * 60_000,
  actionTimeoutMs: 30_000,
  auditRetentionMs: null,
  auditCheckpointMs: 60_000,
  historyRetentionMs: 30 * 86_400_000,
  historyMaxRows: 200_000,
};

/** "90s", "5m", "12h", "30d", "500ms" (a bare integer is seconds), more than zero: a
 * duration given on the command line (`nsatlas audit prune --older-than`). */
export function parseSettingDuration(name: string, text: string): number {
  const ms = parseDuration(text.trim());
  if (ms === null)
    throw new SettingsError(`${name} must be a duration like 90s, 5m, 12h or 30d, got ${JSON.stringify(text)}`);
  if (ms <= 0) throw new SettingsError(`${name} must be more than zero`);
  return ms;
}

export interface TlsSettings {
  certFile: string;
  keyFile: string;
  /** NSATLAS_TLS_CA: the CA bundle the local agent trusts (default: the certificate itself). */
  caFile: string;
}

/** An invalid setting: the server refuses to start and says which. */
export class SettingsError extends Error {
  readonly code = "BAD_SETTING";
}

function defaultDataDir(env: NodeJS.ProcessEnv, euid: number): string {
  if (euid === 0) return "/var/lib/nsatlas";
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(state, "nsatlas");
}

export function dataDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.NSATLAS_DATA_DIR || defaultDataDir(env, process.geteuid?.() ?? 1);
}

function tlsFrom(e: Env): TlsSettings | null {
  const certFile = e.NSATLAS_TLS_CERT ?? null;
  const keyFile = e.NSATLAS_TLS_KEY ?? null;
  if (certFile === null && keyFile === null) return null;
  if (certFile === null || keyFile === null) {
    throw new SettingsError("NSATLAS_TLS_CERT and NSATLAS_TLS_KEY go together: set both (or neither)");
  }
  return { certFile, keyFile, caFile: e.NSATLAS_TLS_CA ?? certFile };
}

/** Reads and checks every setting (EnvSchema); a bad one is a SettingsError naming the variable. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new SettingsError(describeEnvIssues(parsed.error));
  const e = parsed.data;
  return {
    host: e.NSATLAS_HOST ?? "127.0.0.1",
    port: e.NSATLAS_PORT ?? 3000,
    dataDir: dataDirFrom(env),
    adminToken: e.NSATLAS_ADMIN_TOKEN ?? null,
    fleetToken: e.NSATLAS_AGENT_TOKEN ?? null,
    localAgent: e.NSATLAS_LOCAL_AGENT !== "0" && e.NSATLAS_LOCAL_AGENT !== "false",
    localAgentArgs: (e.NSATLAS_LOCAL_AGENT_ARGS ?? "").split(" ").filter(Boolean),
    agentBin: e.NSATLAS_AGENT_BIN ?? null,
    dev: e.NSATLAS_DEV === "1",
    logLevel: e.NSATLAS_LOG_LEVEL ?? "info",
    tls: tlsFrom(e),
    trustedProxies: e.NSATLAS_TRUSTED_PROXIES,
    guard: {
      readOnly: e.NSATLAS_READ_ONLY ?? GUARD_DEFAULTS.readOnly,
      planTtlMs: e.NSATLAS_PLAN_TTL ?? GUARD_DEFAULTS.planTtlMs,
      actionTimeoutMs: e.NSATLAS_ACTION_TIMEOUT ?? GUARD_DEFAULTS.actionTimeoutMs,
      auditRetentionMs: e.NSATLAS_AUDIT_RETENTION ?? GUARD_DEFAULTS.auditRetentionMs,
      auditCheckpointMs: e.NSATLAS_AUDIT_CHECKPOINT ?? GUARD_DEFAULTS.auditCheckpointMs,
      historyRetentionMs: e.NSATLAS_HISTORY_RETENTION ?? GUARD_DEFAULTS.historyRetentionMs,
      historyMaxRows: e.NSATLAS_HISTORY_MAX_ROWS ?? GUARD_DEFAULTS.historyMaxRows,
    },
    nats: natsFrom(env),
    database: databaseFrom(env),
    capture: captureFrom(env),
  };
}

function natsFrom(env: NodeJS.ProcessEnv): NatsSettings | null {
  try {
    return natsSettingsFrom(env);
  } catch (err) {
    throw new SettingsError((err as Error).message);
  }
}
