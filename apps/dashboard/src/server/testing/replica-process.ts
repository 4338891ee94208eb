import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SERVER = new URL("../../../dist/server/main.js", import.meta.url).pathname;

/** One dashboard replica as its own process (the built server), so that a test can kill -9 it. */
export interface ReplicaProcess {
  name: string;
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** Its log (stdout and stderr), newest last. */
  log: string[];
  kill9(): void;
  /** SIGTERM (drain), or SIGKILL after 10 s; removes the data dir. */
  stop(): Promise<void>;
}

export async function startReplicaProcess(
  name: string,
  env: Record<string, string>,
  o: { port?: number; dataDir?: string } = {},
): Promise<ReplicaProcess> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), `nsatlas-replica-${name}-`));
  const child = spawn(process.execPath, [SERVER], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NSATLAS_PORT: String(o.port ?? 0),
      NSATLAS_DATA_DIR: dataDir,
      NSATLAS_LOCAL_AGENT: "0",
      ...env,
    },
  });
  const log: string[] = [];
  const keep = (d: Buffer) => {
    log.push(...d.toString().split("\n").filter(Boolean));
    if (log.length > 2000) log.splice(0, log.length - 2000);
  };
  child.stderr?.on("data", keep);
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`replica ${name} did not start: ${log.join("\n")}`)), 60_000);
    child.stdout?.on("data", (d: Buffer) => {
      keep(d);
      const m = /nsatlas dashboard: (http:\/\/\S+)/.exec(log.join("\n"));
      if (m?.[1]) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`replica ${name} exited ${code}: ${log.join("\n")}`));
    });
  });
  return {
    name,
    url,
    child,
    dataDir,
    log,
    kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(t);
      }
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
