// Builds large worlds of real processes and stacks for benchmarks, and tears them down.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

export class BenchWorld {
  prefix = `nsat${randomBytes(2).toString("hex")}`;
  stacks = [];
  children = [];

  /** `ip netns add` count stacks named PREFIX-bN. */
  addStacks(count) {
    for (let i = 0; i < count; i++) {
      const name = `${this.prefix}-b${i}`;
      execFileSync("ip", ["netns", "add", name]);
      this.stacks.push(name);
    }
  }

  /** Starts argv count times (argvFor(i)); resolves when every process has exec'd `comm`
   * (comm null: at once, the caller waits for what it needs). */
  async startMany(count, argvFor, comm = "sleep") {
    const started = [];
    for (let i = 0; i < count; i++) {
      const argv = argvFor(i);
      const child = spawn(argv[0], argv.slice(1), {
        stdio: "ignore",
        env: { ...process.env, NSATLAS_TEST_RUN: this.prefix },
      });
      child.on("error", () => {});
      this.children.push(child);
      started.push(child);
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20));
    }
    const deadline = Date.now() + 120_000;
    for (const child of comm === null ? [] : started) {
      while (Date.now() < deadline) {
        let c = "";
        try {
          c = readFileSync(`/proc/${child.pid}/comm`, "utf8").trim();
        } catch {}
        if (c === comm) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    return started;
  }

  async destroy() {
    for (const c of this.children) c.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    for (const name of this.stacks) {
      try {
        execFileSync("ip", ["netns", "del", name]);
      } catch {}
    }
    this.children = [];
    this.stacks = [];
  }
}

export function processCount() {
  return readFileSync("/proc/loadavg", "utf8").split(" ")[3].split("/")[1];
}
