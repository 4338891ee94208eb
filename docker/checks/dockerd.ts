import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A dockerd of the test's own: its own socket, exec root and pid file; never the system's. */
export interface Dockerd {
  /** Runs the docker CLI against this daemon (argv, no shell); resolves with stdout. */
  docker(args: readonly string[], opts?: { timeoutMs?: number }): Promise<string>;
  readonly socket: string;
  readonly storageDriver: string;
  stop(): Promise<void>;
}

// Debian's CLI matches Debian's daemon; a newer CLI elsewhere on PATH also talks to it.
const DOCKER_CLI = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const START_TIMEOUT_MS = 60_000;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Stops the dockerd a killed earlier run left on this data root (its pid file says which). */
function stopLeftover(pidFile: string, dataRoot: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return;
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  if (argv.includes(dataRoot)) process.kill(pid, "SIGTERM");
}

/**
 * Starts dockerd without a default bridge or iptables rules (nothing on the host's network
 * changes). Images and build cache live on `dataRoot` (kept between runs, outside the clone);
 * the sockets are in a fresh temporary exec root. overlay2 first; vfs when the kernel or the
 * filesystem refuses overlay. Throws with dockerd's own log when it cannot start.
 */
export async function startDockerd(cacheDir: string): Promise<Dockerd> {
  const failures: string[] = [];
  for (const driver of ["overlay2", "vfs"]) {
    const d = await tryStart(cacheDir, driver);
    if ("stop" in d) return d;
    failures.push(`${driver}: ${d.error}`);
  }
  throw new Error(`dockerd did not start:\n${failures.join("\n")}`);
}

async function tryStart(cacheDir: string, driver: string): Promise<Dockerd | { error: string }> {
  const dataRoot = join(cacheDir, `docker-${driver}`);
  const pidFile = join(cacheDir, `dockerd-${driver}.pid`);
  mkdirSync(dataRoot, { recursive: true });
  stopLeftover(pidFile, dataRoot);
  // Short path: containerd's sockets live under the exec root (sun_path is 108 bytes).
  const execRoot = mkdtempSync("/tmp/nsat-dockerd-");
  const socket = join(execRoot, "docker.sock");
  const config = join(execRoot, "cli");
  mkdirSync(config);
  writeFileSync(join(config, "config.json"), "{}\n");
  const logFile = join(execRoot, "dockerd.log");
  const log = openSync(logFile, "a");
  const daemon: ChildProcess = spawn(
    "dockerd",
    [
      ...["--data-root", dataRoot, "--exec-root", join(execRoot, "exec"), "-H", `unix://${socket}`],
      ...["--pidfile", pidFile, "--storage-driver", driver, "--bridge=none", "--iptables=false"],
      ...["--ip6tables=false", "--ip-masq=false"],
    ],
    { stdio: ["ignore", log, log] },
  );
  let spawnError = "";
  daemon.on("error", (e) => {
    spawnError = `${e.message} (is Debian's docker.io installed?)`;
  });
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: config, DOCKER_BUILDKIT: "0" };
  const docker = (args: readonly string[], opts: { timeoutMs?: number } = {}) =>
    new Promise<string>((resolve, reject) => {
      execFile(
        DOCKER_CLI,
        args,
        { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000 },
        (err, stdout, stderr) =>
          err
            ? reject(
                new Error(`docker ${args.join(" ")}: ${err.message}\n${stdout.slice(-6000)}\n${stderr.slice(-4000)}`),
              )
            : resolve(stdout),
      );
    });
  const stop = async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      const exited = new Promise((r) => daemon.once("exit", r));
      daemon.kill("SIGTERM");
      const timer = setTimeout(() => daemon.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    // libnetwork bind-mounts the daemon's netns at exec/netns/default and leaves it there.
    unmountUnder(execRoot);
    rmSync(execRoot, { recursive: true, force: true });
  };

  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    if (spawnError || daemon.exitCode !== null || daemon.signalCode !== null) break;
    try {
      const info = (await docker(["info", "--format", "{{.Driver}}"], { timeoutMs: 5_000 })).trim();
      if (info === driver) return { docker, socket, storageDriver: driver, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
  if (!spawnError) await stop();
  else rmSync(execRoot, { recursive: true, force: true });
  return { error: spawnError || `exited or did not answer within ${START_TIMEOUT_MS / 1000} s; its log:\n${tail}` };
}

/** Unmounts every mount point below dir in this mount namespace, deepest first. */
function unmountUnder(dir: string): void {
  const points = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4] ?? "")
    .filter((p) => p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) execFileSync("umount", [p], { stdio: "ignore" });
}
