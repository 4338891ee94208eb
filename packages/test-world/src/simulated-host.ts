import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { childrenOf, waitFor } from "./world.js";

const ENTRY = fileURLToPath(new URL("./sim-host-entry.js", import.meta.url));
const SAFE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The built agent (`apps/agent/dist/main.js`) of this workspace. */
export function defaultAgentMain(): string {
  const pkg = createRequire(import.meta.url).resolve("@nsatlas/agent/package.json");
  return join(dirname(pkg), "dist", "main.js");
}

export interface SimulatedHostOptions {
  /** The dashboard's agent endpoint, e.g. ws://127.0.0.1:3000/agent. */
  hubUrl: string;
  /** An agent token named agentId, or the shared fleet token (the host is then view-only). */
  tokenFile: string;
  agentId: string;
  /** Its UTS hostname (default: agentId); at most 64 characters. */
  hostname?: string;
  labels?: Record<string, string>;
  /** More agent arguments, e.g. ["--interval", "200ms", "--ca-file", CA]. */
  agentArgs?: string[];
  /** Parent of its private directory (netns dir); default the system temp dir. */
  baseDir?: string;
  /** Extra environment (NSATLAS_TEST_RUN marks processes for the leftovers sweep). */
  env?: Record<string, string>;
  agentMain?: string;
  /** Receives each line the agent logs (stderr). */
  onLog?: (line: string) => void;
}

/** Sends a signal to a process that may have exited meanwhile (then there is nothing to do). */
function signal(pid: number, sig: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

/** One simulated host: an nsatlas agent as pid 1 of its own pid, mount and UTS namespaces
 * (`unshare --pid --fork --mount-proc --uts`), with its own /proc, hostname and netns dir,
 * streaming to a hub over loopback. Stacks it makes are pinned in its own mount namespace, so
 * they vanish with it. Needs root. */
export class SimulatedHost {
  readonly agentId: string;
  readonly hostname: string;
  /** Its private directory; netnsDir is inside. */
  readonly dir: string;
  readonly netnsDir: string;
  /** Lines the agent logged so far. */
  readonly log: string[] = [];
  #unshare: ChildProcess;
  /** Host pid of the agent, which is pid 1 inside. */
  #pid = 0;

  private constructor(o: SimulatedHostOptions, unshare: ChildProcess, dir: string) {
    this.agentId = o.agentId;
    this.hostname = o.hostname ?? o.agentId;
    this.dir = dir;
    this.netnsDir = join(dir, "netns");
    this.#unshare = unshare;
  }

  /** Starts the host; resolves once its agent process runs (not yet connected: poll the hub). */
  static async start(o: SimulatedHostOptions): Promise<SimulatedHost> {
    const hostname = o.hostname ?? o.agentId;
    if (hostname.length > 64) throw new Error(`hostname over 64 characters: ${hostname}`);
    const dir = mkdtempSync(join(o.baseDir ?? tmpdir(), `nsatlas-sim-${o.agentId.slice(0, 40)}-`));
    const netnsDir = join(dir, "netns");
    mkdirSync(netnsDir);
    const labels = Object.entries(o.labels ?? {}).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
    const agentArgs = [
      ...["run", "--hub", o.hubUrl, "--token-file", o.tokenFile, "--agent-id", o.agentId],
      ...["--hostname", hostname, "--netns-dir", netnsDir, ...labels, ...(o.agentArgs ?? [])],
    ];
    // --kill-child: if unshare dies, its child (the host's init) is killed, and with it the
    // whole pid namespace.
    const unshare = spawn(
      "unshare",
      [
        ...["--pid", "--fork", "--mount-proc", "--uts", "--kill-child", "--"],
        ...[process.execPath, "--max-semi-space-size=32", ENTRY, hostname, o.agentMain ?? defaultAgentMain()],
        ...agentArgs,
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...o.env } },
    );
    const host = new SimulatedHost(o, unshare, dir);
    let partial = "";
    unshare.stderr?.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      host.log.push(...lines);
      for (const l of lines) o.onLog?.(l);
    });
    const parent = unshare.pid;
    const started =
      parent !== undefined && (await waitFor(() => childrenOf(parent).length > 0 || unshare.exitCode !== null, 10_000));
    const pid = parent === undefined ? undefined : childrenOf(parent)[0];
    if (!started || pid === undefined) {
      host.kill();
      throw new Error(`simulated host ${o.agentId} did not start: ${host.log.join(" | ")}`);
    }
    host.#pid = pid;
    return host;
  }

  /** Host pid of the simulated host's init (its agent). */
  get pid(): number {
    return this.#pid;
  }

  /** Runs argv inside the host (its mount, pid and UTS namespaces; `net` too when given a
   * stack name) and returns stdout. Throws with stderr on failure. */
  run(argv: readonly string[], opts: { stack?: string } = {}): string {
    return execFileSync("nsenter", this.#enter(argv, opts.stack), {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /** Starts a long-running process inside the host (optionally in one of its stacks). */
  spawn(argv: readonly string[], opts: { stack?: string } = {}): ChildProcess {
    const child = spawn("nsenter", this.#enter(argv, opts.stack), { stdio: "ignore" });
    child.on("error", () => {}); // reported by its exit code; the host's stop kills it anyway
    return child;
  }

  /** Makes a named network stack in this host's netns dir (like `ip netns add`, but pinned in
   * the host's own mount namespace); with an address, its loopback carries it and is up.
   * (Loopback, not a dummy link: kernels without the dummy driver exist, and CI runs one.) */
  addStack(name: string, opts: { address?: string } = {}): string {
    const path = this.#stackPath(name);
    writeFileSync(path, "");
    // unshare binds /proc/<its pid>/ns/net onto path: it must see its own pid in /proc, so
    // it runs in the host's pid namespace too (nsenter -p), not only its mount namespace.
    this.run(["unshare", `--net=${path}`, "true"]);
    if (opts.address !== undefined) {
      this.run(["ip", "addr", "add", opts.address, "dev", "lo"], { stack: name });
      this.run(["ip", "link", "set", "lo", "up"], { stack: name });
    }
    // Mounting and addressing make no inotify event, and the agent may have looked at the
    // entry while it was a plain file: touching the directory (IN_ATTRIB) makes it look again
    // now that the stack is complete (else only its next full rescan would).
    const now = new Date();
    utimesSync(this.netnsDir, now, now);
    return path;
  }

  /** Removes a stack made with addStack (like `ip netns del`). */
  removeStack(name: string): void {
    const path = this.#stackPath(name);
    this.run(["umount", path]);
    rmSync(path, { force: true });
  }

  /** Freezes the agent (SIGSTOP): the hub sees it go silent and turns it stale 15 s later. */
  freeze(): void {
    signal(this.#pid, "SIGSTOP");
  }

  /** Thaws a frozen agent (SIGCONT): it resumes and the host turns connected again. */
  thaw(): void {
    signal(this.#pid, "SIGCONT");
  }

  /** Stops the agent (SIGTERM to the host's init, SIGKILL after 3 s) and removes its directory. */
  async stop(): Promise<void> {
    if (this.#unshare.exitCode === null && this.#unshare.signalCode === null) {
      signal(this.#pid, "SIGTERM");
      signal(this.#pid, "SIGCONT"); // a frozen agent handles SIGTERM once thawed
      const exited = await waitFor(() => this.#unshare.exitCode !== null || this.#unshare.signalCode !== null, 3_000);
      if (!exited) this.kill();
      await waitFor(() => this.#unshare.exitCode !== null || this.#unshare.signalCode !== null, 3_000);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills at once (synchronous, for cleanup paths): the init's death ends its pid namespace. */
  kill(): void {
    for (const pid of [this.#pid, this.#unshare.pid]) signal(pid ?? 0, "SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** nsenter arguments that run argv inside the host. The stack's pin exists only in the
   * host's mount namespace, so a second nsenter opens it from there: the first one opens
   * every namespace file before it enters any. */
  #enter(argv: readonly string[], stack: string | undefined): string[] {
    const net = stack === undefined ? [] : ["nsenter", `--net=${this.#stackPath(stack)}`, "--"];
    return ["-t", String(this.#pid), "-m", "-p", "-u", "--", ...net, ...argv];
  }

  #stackPath(name: string): string {
    if (!SAFE_NAME.test(name)) throw new Error(`not a stack name: ${JSON.stringify(name)}`);
    return join(this.netnsDir, name);
  }
}
