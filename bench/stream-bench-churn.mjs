// Process churn for the stream benchmark: a shell that starts and reaps short processes in
// bursts, as a busy host does (CI runners, cron, health checks). The rate is measured from
// the kernel's fork counter (/proc/stat `processes`), not assumed.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

function forksSinceBoot() {
  const line = readFileSync("/proc/stat", "utf8")
    .split("\n")
    .find((l) => l.startsWith("processes "));
  return Number(line?.split(" ")[1] ?? 0);
}

/** Starts churn; stop() ends it. rate() measures forks per second over ms (all of the host's). */
export function startChurn(prefix) {
  // Ten short processes at a time, reaped together, then a short pause: ~400 starts and
  // exits per second on an idle 2-core machine.
  const child = spawn(
    "sh",
    ["-c", "while :; do for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true & done; wait; sleep 0.02; done"],
    {
      stdio: "ignore",
      detached: true,
      env: { ...process.env, NSATLAS_TEST_RUN: prefix },
    },
  );
  return {
    async rate(ms = 2000) {
      const f0 = forksSinceBoot();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, ms));
      return ((forksSinceBoot() - f0) * 1000) / (performance.now() - t0);
    },
    stop() {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}
