import { afterEach, describe, expect, it } from "vitest";
import { EngineSet } from "./engine-set.js";
import { engineSockets } from "./engine-sockets.js";
import { dockerInspect, eventually, fakeDocker, hangingSocket, testSocketDir } from "./test-servers.js";

const NONE = { docker: [], containerd: [], podman: [], "cri-o": [], explicit: new Set<string>() };

describe("EngineSet", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("reports hanging and absent sockets as unreachable, each bounded by its own timeout", async () => {
    const dir = testSocketDir();
    cleanups.push(() => dir.remove());
    const dockerHang = await hangingSocket(dir.path("docker.sock"));
    const containerdHang = await hangingSocket(dir.path("containerd.sock"));
    cleanups.push(
      () => dockerHang.close(),
      () => containerdHang.close(),
    );
    const sockets = engineSockets(
      {
        docker: [dir.path("docker.sock")],
        containerd: [dir.path("containerd.sock")],
        podman: [dir.path("absent.sock")],
      },
      NONE,
    );
    const set = new EngineSet(sockets, { timeoutMs: 300, retryMs: 100, maxRetryMs: 100 });
    cleanups.push(() => set.stop());
    set.start(() => {}, false);
    await set.settled(10_000);
    const view = set.view();
    expect(view.containers).toEqual([]);
    expect(view.unreachable.map((u) => [u.engine, u.socket]).sort()).toEqual(
      [
        ["containerd", dir.path("containerd.sock")],
        ["docker", dir.path("docker.sock")],
        ["podman", dir.path("absent.sock")],
      ].sort(),
    );
    expect(view.unreachable.find((u) => u.engine === "podman")?.error).toBe("no such socket");
    // Settled by the engines' own 300 ms bounds (not by the set's 10 s cap).
    for (const engine of ["docker", "containerd"])
      expect(view.unreachable.find((u) => u.engine === engine)?.error).toMatch(/no answer within 300 ms|Deadline/i);
  });

  it("stays silent about absent default sockets (that engine is not installed)", async () => {
    const dir = testSocketDir();
    cleanups.push(() => dir.remove());
    const set = new EngineSet({ ...NONE, docker: [dir.path("docker.sock")] });
    cleanups.push(() => set.stop());
    set.start(() => {}, false);
    await set.settled(500);
    expect(set.view().unreachable).toEqual([]);
  });

  it("finds an engine whose socket appears after it started watching", async () => {
    const dir = testSocketDir();
    cleanups.push(() => dir.remove());
    const socket = dir.path("docker.sock");
    const set = new EngineSet({ ...NONE, docker: [socket] }, { timeoutMs: 1_000, retryMs: 100, maxRetryMs: 200 });
    cleanups.push(() => set.stop());
    let changes = 0;
    set.start(() => {
      changes += 1;
    });
    await set.settled(500);
    expect(set.view().containers).toEqual([]);
    const docker = await fakeDocker(socket);
    cleanups.push(() => docker.close());
    const id = "9".repeat(64);
    docker.containers.set(id, dockerInspect(id, "late", 777));
    await eventually(() => set.view().containers.some((c) => c.name === "late"));
    expect(changes).toBeGreaterThan(0);
    expect(set.view().connected).toEqual(new Set(["docker"]));
  });
});
