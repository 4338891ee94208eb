import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { TokenStorage } from "@nsatlas/hub";
import { readMachineId } from "@nsatlas/service/machine-id";
import { dataPath, writeSecretFile } from "./data-dir.js";
import { SettingsError } from "./env.js";
import type { Logger } from "./logger.js";

/** The id of this machine: /etc/machine-id, as the agent uses by default; "localhost" in
 * containers without one. */
export function machineId(): string {
  return readMachineId() ?? "localhost";
}

/** The nsatlas-agent program: NSATLAS_AGENT_BIN, else the one of the @nsatlas/agent package.
 * The package is optional: an image that runs no local agent (NSATLAS_LOCAL_AGENT=0) leaves it
 * out, and with it the scanner and the C addon. */
export function agentBin(configured: string | null): string {
  if (configured !== null) return configured;
  try {
    return join(dirname(createRequire(import.meta.url).resolve("@nsatlas/agent/package.json")), "bin", "nsatlas-agent");
  } catch {
    throw new SettingsError(
      "no nsatlas-agent for the local agent: install @nsatlas/agent, set NSATLAS_AGENT_BIN, or set NSATLAS_LOCAL_AGENT=0",
    );
  }
}

export interface LocalAgent {
  name: string;
  stop(): Promise<void>;
}

/** Starts `nsatlas-agent run` for this host as a child process with a fresh per-start agent
 * token (kept in <data dir>/local-agent.token, 0600): scanning stays off the server's event
 * loop, and the user needs no token file. The child is restarted if it dies. */
export async function startLocalAgent(opts: {
  tokens: TokenStorage;
  dataDir: string;
  hubUrl: string;
  extraArgs: string[];
  /** NSATLAS_AGENT_BIN, or null for the @nsatlas/agent package's. */
  agentBin: string | null;
  log: Logger;
}): Promise<LocalAgent> {
  const bin = agentBin(opts.agentBin);
  const name = machineId();
  const tokenFile = dataPath(opts.dataDir, "local-agent.token");
  writeSecretFile(tokenFile, `${await opts.tokens.rotate(name, "agent")}\n`);
  let child: ChildProcess | null = null;
  let stopping = false;
  const start = () => {
    const args = ["run", "--hub", opts.hubUrl, "--token-file", tokenFile, "--agent-id", name, ...opts.extraArgs];
    child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code, signal) => {
      if (stopping) return;
      opts.log.warn(`local agent exited (${signal ?? code}); restarting in 2 s`);
      setTimeout(() => {
        if (!stopping) start();
      }, 2_000).unref();
    });
  };
  start();
  return {
    name,
    stop: () =>
      new Promise((resolve) => {
        stopping = true;
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child?.kill("SIGKILL"), 3_000).unref();
      }),
  };
}
