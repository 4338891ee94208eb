import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../apps/dashboard/dist/server/main.js", import.meta.url));
export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef";

export interface E2eServer {
  url: string;
  child: ChildProcess;
  dataDir: string;
  stop(): Promise<void>;
}

/** The real dashboard server with its local agent (the `npm start` default), on a free
 * loopback port, in a temporary data dir. */
export async function startE2eServer(env: Record<string, string> = {}): Promise<E2eServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "nsatlas-e2e-data-"));
  const child = spawn(process.execPath, [MAIN], {
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      NSATLAS_PORT: "0",
      NSATLAS_DATA_DIR: dataDir,
      NSATLAS_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      NSATLAS_LOCAL_AGENT_ARGS: "--interval 250ms",
      NSATLAS_TEST_RUN: "e2e",
      ...env,
    },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /nsatlas dashboard: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`dashboard exited ${code}: ${out}`)));
  });
  return {
    url,
    child,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
