import { join } from "node:path";
import { busyboxRootfs, type EngineDaemon, startPodman, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanJson } from "./agent-cli.js";

// podman 4.3's API service (Docker-compatible) on a socket of our own.
const world = new World();
let podman: EngineDaemon & { runArgs: string[] };
const IMAGE = `${world.prefix}-busybox:1`;

beforeAll(async () => {
  podman = await startPodman(world.prefix);
  podman.cli(["import", busyboxRootfs(podman.dir), IMAGE]);
}, 120_000);

afterAll(async () => {
  await podman?.stop();
  await world.cleanup();
}, 120_000);

describe("podman, for real", () => {
  it("names podman containers, one in another's network, from its API socket", async () => {
    const web1 = `${world.prefix}pweb1`;
    const web2 = `${world.prefix}pweb2`;
    const id1 = podman
      .cli(["run", "-d", "--name", web1, "--network", "none", ...podman.runArgs, IMAGE, "sleep", "1000"])
      .trim();
    const id2 = podman
      .cli(["run", "-d", "--name", web2, "--network", `container:${id1}`, ...podman.runArgs, IMAGE, "sleep", "1000"])
      .trim();
    const none = join(podman.dir, "none.sock");
    const inv = await scanJson([
      "--podman-socket",
      podman.socket,
      "--docker-socket",
      none,
      "--containerd-socket",
      none,
      "--crio-socket",
      none,
    ]);
    const c1 = inv.containers.find((c) => c.id === id1);
    expect(c1).toMatchObject({ engine: "podman", name: web1, state: "running" });
    const p1 = inv.processes.find((p) => p.pid === c1?.pid);
    // With cgroupfs on cgroup v1 podman puts a container at /libpod_parent/libpod-<id>.
    expect(p1?.container).toMatchObject({ runtime: "podman", id: id1, engine: "podman", name: web1 });
    const stack = inv.netstacks?.find((s) => s.ns === `net:${p1?.ns.net}`);
    expect(stack?.containers).toEqual([id1, id2].sort());
  });
});
