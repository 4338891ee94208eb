import { homedir } from "node:os";
import { join } from "node:path";

/** Every setting of the dashboard server; the only module that reads process.env. */
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
  dev: boolean;
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

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = Number(env.NSATLAS_PORT ?? "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SettingsError(`NSATLAS_PORT must be a port number (0-65535), got ${JSON.stringify(env.NSATLAS_PORT)}`);
  }
  const nonEmpty = (v: string | undefined) => (v && v.length > 0 ? v : null);
  return {
    host: env.NSATLAS_HOST || "127.0.0.1",
    port,
    dataDir: dataDirFrom(env),
    adminToken: nonEmpty(env.NSATLAS_ADMIN_TOKEN),
    fleetToken: nonEmpty(env.NSATLAS_AGENT_TOKEN),
    localAgent: env.NSATLAS_LOCAL_AGENT !== "0" && env.NSATLAS_LOCAL_AGENT !== "false",
    localAgentArgs: (env.NSATLAS_LOCAL_AGENT_ARGS ?? "").split(" ").filter(Boolean),
    dev: env.NSATLAS_DEV === "1",
  };
}
