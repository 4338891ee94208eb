// Shared measuring helpers for the benchmarks: wall time of a command, medians, percentiles.
import { spawn } from "node:child_process";

/** Runs argv to completion, discarding its output; resolves to wall milliseconds. */
export function timeCommand(argv, env = process.env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "ignore"], env });
    child.stdout.resume();
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${argv.join(" ")} exited ${code}`));
      else resolve(ms);
    });
  });
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export const median = (values) => percentile(values, 50);
export const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;
