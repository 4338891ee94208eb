// Container engines of our own for integration tests: temporary roots, sockets and exec
// roots under one directory, no bridge and no iptables; stopped (and their mounts released)
// also when a test fails. Images are made locally from busybox-static: no registry is used.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BUSYBOX = "/bin/busybox";

export interface EngineDaemon {
  socket: string;
  dir: string;
  /** Runs the engine's CLI against this daemon (argv, no shell); stdout. */
  cli: (args: readonly string[]) => string;
  stop: () => Promise<void>;
}

function run(cmd: string, args: readonly string[], timeout = 60_000): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout });
}

/** A tarball of a root filesystem holding busybox-static and its applets used by tests. */
export function busyboxRootfs(dir: string): string {
  const root = join(dir, "rootfs");
  mkdirSync(join(root, "bin"), { recursive: true });
  for (const d of ["proc", "sys", "dev", "etc", "tmp"]) mkdirSync(join(root, d), { recursive: true });
  copyFileSync(BUSYBOX, join(root, "bin/busybox"));
  for (const applet of ["sh", "sleep", "cat", "ls"]) symlinkSync("busybox", join(root, "bin", applet));
  writeFileSync(join(root, "etc/passwd"), "root:x:0:0:root:/:/bin/sh\n");
  const tar = join(dir, "rootfs.tar");
  run("tar", ["-C", root, "-cf", tar, "."]);
  return tar;
}

/** A docker-archive (what `docker save` writes) of the rootfs: `ctr image import` takes it. */
export function busyboxImageArchive(dir: string, ref: string): string {
  const layer = busyboxRootfs(dir);
  const diffId = createHash("sha256").update(readFileSync(layer)).digest("hex");
  const archive = join(dir, "image");
  mkdirSync(archive, { recursive: true });
  copyFileSync(layer, join(archive, "layer.tar"));
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    config: { Cmd: ["/bin/sh"] },
    rootfs: { type: "layers", diff_ids: [`sha256:${diffId}`] },
  });
  const configId = createHash("sha256").update(config).digest("hex");
  writeFileSync(join(archive, `${configId}.json`), config);
  writeFileSync(
    join(archive, "manifest.json"),
    JSON.stringify([{ Config: `${configId}.json`, RepoTags: [ref], Layers: ["layer.tar"] }]),
  );
  const tar = join(dir, "image.tar");
  run("tar", ["-C", archive, "-cf", tar, "."]);
  return tar;
}

async function waitForSocket(path: string, child: ChildProcess, log: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`daemon exited (${child.exitCode}): ${readLog(log)}`);
    if (existsSync(path)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no socket ${path} after ${ms} ms: ${readLog(log)}`);
}

function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8").slice(-2000);
  } catch {
    return "(no log)";
  }
}

/** Unmounts whatever a daemon left mounted under dir (deepest first), then removes dir. */
function releaseDir(dir: string): void {
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4] ?? "")
    .filter((m) => m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    try {
      run("umount", ["-l", m]);
    } catch {
      // Already gone with its parent.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Kills what a daemon started outside its own process tree and left behind — podman's
 * conmon monitors reparent to pid 1 and outlive the API service — found by dir, which is ours
 * alone (a per-run prefix and a random suffix), in their command lines. Their container
 * processes die with them: conmon holds the container's pid namespace. */
function killLeftoversOf(dir: string): void {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    if (!cmdline.includes(dir)) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // exited meanwhile
    }
  }
}

async function stopChild(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  await exited;
  clearTimeout(timer);
}

/** Starts a daemon logging to dir; resolves once its socket exists (else stops it, removes dir). */
async function spawnDaemon(dir: string, cmd: string, args: readonly string[], socket: string): Promise<ChildProcess> {
  const log = join(dir, `${cmd}.log`);
  const out = appendFd(log);
  const child = spawn(cmd, args, { stdio: ["ignore", out, out] });
  try {
    await waitForSocket(socket, child, log, 30_000);
    return child;
  } catch (err) {
    await stopChild(child, 5_000);
    releaseDir(dir);
    throw err;
  }
}

function daemonDir(prefix: string, kind: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-${kind}-`));
}

/** dockerd (with the containerd it starts) on a socket of its own; overlay2, else vfs. */
export async function startDockerd(prefix: string): Promise<EngineDaemon> {
  const dir = daemonDir(prefix, "dockerd");
  writeFileSync(join(dir, "daemon.json"), "{}");
  const socket = join(dir, "docker.sock");
  const cli = (args: readonly string[]) => run("docker", ["-H", `unix://${socket}`, ...args]);
  for (const driver of ["overlay2", "vfs"]) {
    const log = join(dir, `dockerd-${driver}.log`);
    const out = appendFd(log);
    const child = spawn(
      "dockerd",
      [
        "--config-file",
        join(dir, "daemon.json"),
        "--data-root",
        join(dir, "data"),
        "--exec-root",
        join(dir, "exec"),
        "--pidfile",
        join(dir, "dockerd.pid"),
        "-H",
        `unix://${socket}`,
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
        "--storage-driver",
        driver,
      ],
      { stdio: ["ignore", out, out] },
    );
    try {
      await waitForSocket(socket, child, log, 30_000);
      cli(["info", "--format", "{{.Driver}}"]);
      return {
        socket,
        dir,
        cli,
        stop: async () => {
          try {
            const ids = cli(["ps", "-aq"]).split("\n").filter(Boolean);
            if (ids.length > 0) cli(["rm", "-f", ...ids]);
          } catch {
            // The daemon is gone already: its containers went with it.
          }
          await stopChild(child, 20_000);
          releaseDir(dir);
        },
      };
    } catch (err) {
      await stopChild(child, 5_000);
      if (driver === "vfs") {
        releaseDir(dir);
        throw err;
      }
    }
  }
  throw new Error("unreachable");
}

function appendFd(path: string): number {
  return openSync(path, "a");
}

/** containerd alone (no CRI plugin: the tests set kubelet's labels themselves). */
export async function startContainerd(prefix: string): Promise<EngineDaemon> {
  const dir = daemonDir(prefix, "containerd");
  const socket = join(dir, "containerd.sock");
  const config = join(dir, "config.toml");
  writeFileSync(
    config,
    [
      "version = 2",
      `root = "${join(dir, "root")}"`,
      `state = "${join(dir, "state")}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      "[grpc]",
      `  address = "${socket}"`,
      "[ttrpc]",
      `  address = "${join(dir, "containerd.sock.ttrpc")}"`,
      '[plugins."io.containerd.internal.v1.opt"]',
      `  path = "${join(dir, "opt")}"`,
      "",
    ].join("\n"),
  );
  const child = await spawnDaemon(dir, "containerd", ["--config", config], socket);
  // ctr waits ~10 s on a socket nobody serves: its connect timeout keeps a failure short.
  const cli = (args: readonly string[]) => run("ctr", ["--address", socket, "--connect-timeout", "3s", ...args]);
  return {
    socket,
    dir,
    cli,
    stop: async () => {
      for (const ns of cli(["namespaces", "ls", "-q"]).split("\n").filter(Boolean)) {
        for (const id of cli(["-n", ns, "tasks", "ls", "-q"]).split("\n").filter(Boolean)) {
          try {
            cli(["-n", ns, "tasks", "kill", "-s", "SIGKILL", id]);
          } catch {
            // Exited already.
          }
        }
        await new Promise((r) => setTimeout(r, 300));
        for (const id of cli(["-n", ns, "containers", "ls", "-q"]).split("\n").filter(Boolean)) {
          try {
            cli(["-n", ns, "tasks", "delete", "-f", id]);
          } catch {
            // No task left.
          }
          try {
            cli(["-n", ns, "containers", "delete", id]);
          } catch {
            // Removed with its task.
          }
        }
      }
      await stopChild(child, 15_000);
      releaseDir(dir);
    },
  };
}

/** podman's API service on a socket of its own (cgroupfs, file events, vfs storage). The
 * sandbox's hard limits are below podman's defaults: containers need explicit ulimits. */
export async function startPodman(prefix: string): Promise<EngineDaemon & { runArgs: string[] }> {
  const dir = daemonDir(prefix, "podman");
  const socket = join(dir, "podman.sock");
  const global = [
    "--root",
    join(dir, "root"),
    "--runroot",
    join(dir, "run"),
    "--tmpdir",
    join(dir, "tmp"),
    "--cgroup-manager=cgroupfs",
    "--events-backend=file",
    "--storage-driver=vfs",
  ];
  const cli = (args: readonly string[]) => run("podman", [...global, ...args]);
  const child = await spawnDaemon(
    dir,
    "podman",
    [...global, "system", "service", "--time=0", `unix://${socket}`],
    socket,
  );
  return {
    socket,
    dir,
    cli,
    runArgs: ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"],
    stop: async () => {
      // A container in another's network (`--network container:`) must go before that one:
      // the first pass may refuse the one it depends on, the second removes it.
      for (let pass = 0; pass < 2; pass++) {
        try {
          cli(["rm", "-a", "-f", "-t", "0"]);
        } catch {
          // Refused for a dependency (removed by the next pass), or nothing left to remove.
        }
      }
      await stopChild(child, 15_000);
      killLeftoversOf(dir);
      releaseDir(dir);
    },
  };
}

export interface KubeletPod {
  sandbox: string;
  sandboxPid: number;
  /** Container name -> id (64 hex digits, as kubelet's ids are). */
  containers: Record<string, string>;
}

/** The pid of a running containerd task. */
export function containerdTaskPid(containerd: EngineDaemon, ns: string, id: string): number {
  const line = containerd
    .cli(["-n", ns, "tasks", "ls"])
    .split("\n")
    .find((l) => l.startsWith(id));
  return Number(line?.split(/\s+/)[1]);
}

/** A pod as kubelet's CRI plugin makes one in containerd's k8s.io namespace: a sandbox, then
 * containers joining its network, all labelled as the CRI plugin labels them. */
export function runKubeletPod(
  containerd: EngineDaemon,
  image: string,
  pod: { name: string; namespace: string; uid: string },
  containerNames: readonly string[],
): KubeletPod {
  const podLabels = {
    "io.kubernetes.pod.name": pod.name,
    "io.kubernetes.pod.namespace": pod.namespace,
    "io.kubernetes.pod.uid": pod.uid,
  };
  const labels = (extra: Record<string, string>) =>
    Object.entries({ ...podLabels, ...extra }).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
  const hexId = () => randomBytes(32).toString("hex");
  const sandbox = hexId();
  const sandboxLabels = labels({ "io.cri-containerd.kind": "sandbox" });
  containerd.cli(["-n", "k8s.io", "run", "-d", ...sandboxLabels, image, sandbox, "sleep", "1000"]);
  const sandboxPid = containerdTaskPid(containerd, "k8s.io", sandbox);
  const containers: Record<string, string> = {};
  for (const name of containerNames) {
    const id = hexId();
    const own = labels({ "io.cri-containerd.kind": "container", "io.kubernetes.container.name": name });
    const netns = `network:/proc/${sandboxPid}/ns/net`;
    containerd.cli(["-n", "k8s.io", "run", "-d", "--with-ns", netns, ...own, image, id, "sleep", "1000"]);
    containers[name] = id;
  }
  return { sandbox, sandboxPid, containers };
}
