import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { World } from "@nsatlas/test-world";
import type { RunningServer } from "../create-server.js";

const AGENT_BIN = join(
  dirname(createRequire(import.meta.url).resolve("@nsatlas/agent/package.json")),
  "bin",
  "nsatlas-agent",
);

/** A pino line of the agent as "<ISO time> nsatlas-agent: <msg>"; other lines as they are. */
function readable(line: string): string {
  try {
    const j = JSON.parse(line) as { time?: number; name?: string; msg?: string };
    if (typeof j.msg === "string") return `${new Date(j.time ?? 0).toISOString()} ${j.name}: ${j.msg}`;
  } catch {
    // not a log line (e.g. a usage error): kept as written
  }
  return line;
}

export interface RealAgent {
  id: string;
  child: ChildProcess;
  /** Lines the agent wrote on stderr (its log). */
  log: string[];
}

/** Starts a real `nsatlas-agent run` against a test server, with its own agent token; killed
 * (SIGKILL, after SIGCONT in case a test froze it) at world cleanup. */
export async function startRealAgent(
  server: RunningServer,
  world: World,
  id: string,
  args: readonly string[] = [],
): Promise<RealAgent> {
  const tokenFile = join(world.tmpDir(), `${id}.token`);
  writeFileSync(tokenFile, await server.tokens.create(id, "agent"));
  const child = spawn(
    process.execPath,
    [
      AGENT_BIN,
      "run",
      "--hub",
      `${server.url.replace("http", "ws")}/agent`,
      "--token-file",
      tokenFile,
      "--agent-id",
      id,
      ...args,
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NSATLAS_TEST_RUN: world.prefix } },
  );
  const log: string[] = [];
  child.stderr?.on("data", (d: Buffer) => log.push(...d.toString().split("\n").filter(Boolean).map(readable)));
  world.defer(() => {
    child.kill("SIGCONT");
    child.kill("SIGKILL");
  });
  return { id, child, log };
}
