// Starts the real dashboard server (dist) as a child process for benchmarks.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MAIN = new URL("../apps/dashboard/dist/server/main.js", import.meta.url).pathname;
export const BENCH_ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";

/** Starts the server on a free port (nodeArgs: e.g. --cpu-prof; main: another build's
 * dist/server/main.js); resolves once it printed its URL. */
export async function startServerProcess({ env = {}, port = 0, dataDir, nodeArgs = [], main = MAIN } = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "nsatlas-bench-data-"));
  const child = spawn(process.execPath, [...nodeArgs, main], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NSATLAS_PORT: String(port),
      NSATLAS_DATA_DIR: dir,
      NSATLAS_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      NSATLAS_TEST_RUN: "bench",
      ...env,
    },
  });
  child.stderr.on("data", () => {});
  let started = false;
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /nsatlas dashboard: (http:\/\/\S+)/.exec(out);
      if (m) {
        started = true;
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      // A server that never came up leaves no data dir of ours behind.
      if (!started && !dataDir) rmSync(dir, { recursive: true, force: true });
      reject(new Error(`server exited ${code}: ${out}`));
    });
  });
  return {
    url,
    child,
    dataDir: dir,
    async get(path) {
      const r = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } });
      return r.ok ? r.json() : null;
    },
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}
