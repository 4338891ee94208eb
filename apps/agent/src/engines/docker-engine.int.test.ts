import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Inventory } from "@nsatlas/protocol";
import { resolveNamespaceName } from "@nsatlas/protocol/stack-name";
import { busyboxRootfs, type EngineDaemon, startDockerd, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_BIN, scanJson } from "./agent-cli.js";

// A dockerd of our own (temporary roots and socket, no bridge, no iptables), an image made
// from busybox-static, and the agent's scan asked to read it.
const world = new World();
let dockerd: EngineDaemon;
const IMAGE = `${world.prefix}-busybox:1`;

function stackName(inv: Inventory, net: number): string {
  const ns = inv.namespaces.find((n) => n.type === "net" && n.inode === net);
  if (!ns) throw new Error(`no net:${net} in the scan`);
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  const sandbox = inv.netstacks?.find((s) => s.ns === ns.id)?.sandbox;
  return resolveNamespaceName(ns, (pid) => byPid.get(pid), sandbox).name;
}

/** Sockets of no engine for the kinds a test does not run, so the host's own are not read. */
function onlyDocker(extra: string[] = []): string[] {
  const none = join(dockerd.dir, "none.sock");
  return [
    "--docker-socket",
    dockerd.socket,
    "--podman-socket",
    none,
    "--crio-socket",
    none,
    "--containerd-socket",
    none,
    ...extra,
  ];
}

beforeAll(async () => {
  dockerd = await startDockerd(world.prefix);
  dockerd.cli(["import", busyboxRootfs(dockerd.dir), IMAGE]);
}, 120_000);

afterAll(async () => {
  await dockerd?.stop();
  await world.cleanup();
}, 120_000);

describe("Docker Engine, for real", () => {
  it("names two containers on one stack (--network container:) and lets Docker win over containerd's moby", async () => {
    const web1 = `${world.prefix}web1`;
    const web2 = `${world.prefix}web2`;
    const id1 = dockerd.cli(["run", "-d", "--name", web1, IMAGE, "sleep", "1000"]).trim();
    const id2 = dockerd
      .cli(["run", "-d", "--name", web2, "--network", `container:${web1}`, IMAGE, "sleep", "1000"])
      .trim();
    const pid1 = Number(dockerd.cli(["inspect", "-f", "{{.State.Pid}}", id1]).trim());
    const mobySocket = join(dockerd.dir, "exec/containerd/containerd.sock");
    const inv = await scanJson([...onlyDocker(), "--containerd-socket", mobySocket]);

    const p1 = inv.processes.find((p) => p.pid === pid1);
    expect(p1?.container).toMatchObject({ runtime: "docker", id: id1, engine: "docker", name: web1, image: IMAGE });
    const stack = inv.netstacks?.find((s) => s.ns === `net:${p1?.ns.net}`);
    expect(stack?.containers).toEqual([id1, id2].sort());
    expect(stack?.sandbox).toEqual({ engine: "docker", containerId: id1, pod: null });
    expect(stackName(inv, p1?.ns.net ?? 0)).toBe([web1, web2].join(", "));
    // The same ids are in containerd's moby namespace: Docker names them, once each.
    const ours = inv.containers.filter((c) => c.id === id1 || c.id === id2);
    expect(Object.fromEntries(ours.map((c) => [c.id, [c.engine, c.name]]))).toEqual({
      [id1]: ["docker", web1],
      [id2]: ["docker", web2],
    });
    expect(inv.containers.find((c) => c.id === id1)?.ns?.net).toBe(p1?.ns.net);
    expect(JSON.stringify(inv.containers)).not.toMatch(/"Env"|PATH=/);
  });

  it("names a compose project's service (docker-compose from Debian)", async () => {
    const project = `${world.prefix}shop`;
    const file = join(dockerd.dir, "compose.yml");
    writeFileSync(
      file,
      `version: "2.4"\nservices:\n  db:\n    image: ${IMAGE}\n    command: ["sleep", "1000"]\n    network_mode: none\n`,
    );
    execFileSync("docker-compose", ["-p", project, "-f", file, "up", "-d"], {
      env: { ...process.env, DOCKER_HOST: `unix://${dockerd.socket}` },
      stdio: "pipe",
      timeout: 60_000,
    });
    const inv = await scanJson(onlyDocker());
    const db = inv.containers.find((c) => c.compose?.project === project);
    expect(db).toMatchObject({ engine: "docker", compose: { project, service: "db" }, state: "running" });
    expect(db?.labels["com.docker.compose.service"]).toBe("db");
    const proc = inv.processes.find((p) => p.pid === db?.pid);
    expect(proc?.container?.compose).toEqual({ project, service: "db" });
  });

  it("follows Docker's events: a container started after the agent is named, and gone once removed", async () => {
    const name = `${world.prefix}late`;
    const watch = spawn(process.execPath, [AGENT_BIN, "scan", "--watch", "--no-netstacks", ...onlyDocker()], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    world.defer(() => watch.kill("SIGKILL"));
    const frames: Array<{
      type: string;
      changes?: { containers?: { upsert?: Array<{ name: string }>; remove?: string[] } };
    }> = [];
    const lines = createInterface({ input: watch.stdout });
    const next = (check: (f: (typeof frames)[number]) => boolean) =>
      new Promise<void>((resolve) => {
        if (frames.some(check)) return resolve();
        lines.on("line", () => frames.some(check) && resolve());
      });
    lines.on("line", (l) => frames.push(JSON.parse(l)));
    await next((f) => f.type === "snapshot");
    const id = dockerd.cli(["run", "-d", "--name", name, IMAGE, "sleep", "1000"]).trim();
    await next((f) => f.changes?.containers?.upsert?.some((c) => c.name === name) ?? false);
    dockerd.cli(["rm", "-f", name]);
    await next((f) => f.changes?.containers?.remove?.includes(id) ?? false);
    watch.kill("SIGTERM");
  }, 180_000);
});
