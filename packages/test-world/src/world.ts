import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNsHolder } from "./ns-holder.js";

/** Everything a test makes carries this prefix; scripts/sweep-test-leftovers.sh removes it. */
export const TEST_PREFIX = "nsat";

export interface Spawned {
  /** Pid of the process of interest (for `unshare --fork`, the forked child). */
  pid: number;
  child: ChildProcess;
  /** Lines the process printed so far. */
  output: string[];
}

/** Real kernel objects made by one test file, all removed by cleanup() — also on failure. */
export class World {
  /** e.g. "nsat3f9a": 8 characters, leaving 7 for link names (IFNAMSIZ is 16 with NUL). */
  readonly prefix = `${TEST_PREFIX}${randomBytes(2).toString("hex")}`;
  readonly #cleanups: Array<() => void> = [];
  readonly #children: ChildProcess[] = [];
  #tmp: string | null = null;

  /** A name for a stack or link: prefix + suffix, at most 15 characters. */
  name(suffix: string): string {
    const n = `${this.prefix}${suffix}`;
    if (n.length > 15) throw new Error(`test name too long for a link: ${n}`);
    return n;
  }

  /** Runs a command (argv, no shell) and returns its stdout; throws with stderr on failure. */
  run(argv: readonly string[]): string {
    const [cmd, ...args] = argv;
    if (!cmd) throw new Error("empty argv");
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /** Registers an undo step; steps run in reverse order at cleanup. */
  defer(step: () => void): void {
    this.#cleanups.push(step);
  }

  tmpDir(): string {
    if (!this.#tmp) {
      this.#tmp = mkdtempSync(join(tmpdir(), `nsatlas-${this.prefix}-`));
      const dir = this.#tmp;
      this.defer(() => rmSync(dir, { recursive: true, force: true }));
    }
    return this.#tmp;
  }

  /** `ip netns add NAME`; removed at cleanup. */
  netnsAdd(suffix: string): { name: string; path: string } {
    const name = this.name(suffix);
    this.run(["ip", "netns", "add", name]);
    this.defer(() => this.#quiet(["ip", "netns", "del", name]));
    return { name, path: `/run/netns/${name}` };
  }

  /** Starts a long-running process; resolves once `ready` says it is in place. */
  async spawn(
    argv: readonly string[],
    ready: { comm?: string; line?: RegExp; forkedChild?: boolean } = {},
  ): Promise<Spawned> {
    const [cmd, ...args] = argv;
    if (!cmd) throw new Error("empty argv");
    const child = spawn(cmd, args, {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NSATLAS_TEST_RUN: this.prefix },
    });
    this.#children.push(child);
    const output: string[] = [];
    let partial = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      output.push(...lines);
    });
    const started = await waitFor(() => child.pid !== undefined || child.exitCode !== null, 2_000);
    if (!started || child.pid === undefined) throw new Error(`could not start ${argv.join(" ")}`);
    let pid = child.pid;
    if (ready.forkedChild) {
      const parent = pid;
      await waitFor(() => childrenOf(parent).length > 0, 5_000);
      pid = childrenOf(parent)[0] ?? pid;
    }
    const target = pid;
    const ok = await waitFor(
      () =>
        (ready.comm === undefined || readComm(target) === ready.comm) &&
        (ready.line === undefined || output.some((l) => ready.line?.test(l))),
      10_000,
    );
    if (!ok) throw new Error(`${argv.join(" ")} did not become ready (output: ${output.join(" | ")})`);
    return { pid, child, output };
  }

  /** Ensures the helper binary exists (compiled once per content) and returns its path. */
  nsHolder(): string {
    return buildNsHolder();
  }

  /** Kills every spawned process and undoes every step, swallowing nothing silently. */
  async cleanup(): Promise<void> {
    for (const child of this.#children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await waitFor(() => this.#children.every((c) => c.exitCode !== null || c.signalCode !== null), 5_000);
    const errors: unknown[] = [];
    for (const step of this.#cleanups.reverse()) {
      try {
        step();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, "test world cleanup failed");
  }

  #quiet(argv: readonly string[]): void {
    try {
      this.run(argv);
    } catch {
      // Already gone (the test removed it itself): nothing to undo.
    }
  }
}

function readComm(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return null;
  }
}

/** Pids of a process's children (empty once it is gone). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Polls cond every 10 ms until it holds or timeoutMs passes; returns whether it held. */
export async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return cond();
}

export function ensureDir(path: string): string {
  if (!existsSync(path)) mkdirSync(path, { recursive: true });
  return path;
}

/** The inode of /proc/<of>/ns/<link> (the kernel's ground truth; `of` is a pid, "self" or
 * "<pid>/task/<tid>"), or null when the kernel does not serve that link (ENOENT: a zombie's
 * net, a pid_for_children before the first fork). */
export function nsLinkInode(of: number | string, link: string): number | null {
  try {
    return Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${of}/ns/${link}`))?.[1]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}
