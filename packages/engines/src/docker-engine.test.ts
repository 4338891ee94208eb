import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DockerEngine } from "./docker-engine.js";
import {
  dockerInspect,
  eventually,
  type FakeDocker,
  fakeDocker,
  type TestSocketDir,
  testSocketDir,
} from "./test-servers.js";

const ID1 = "1".repeat(64);
const ID2 = "2".repeat(64);
const TIMING = { timeoutMs: 1_000, retryMs: 50, maxRetryMs: 200 };

describe("DockerEngine against a fake Docker API", () => {
  let dir: TestSocketDir;
  let docker: FakeDocker;
  let engine: DockerEngine | null = null;
  beforeEach(async () => {
    dir = testSocketDir();
    docker = await fakeDocker(dir.path("docker.sock"));
  });
  afterEach(async () => {
    engine?.stop();
    engine = null;
    await docker.close();
    dir.remove();
  });

  it("lists on connect, follows events, and sends GET requests only", async () => {
    docker.containers.set(
      ID1,
      dockerInspect(ID1, "web1", 4242, {
        labels: { "com.docker.compose.project": "shop", "com.docker.compose.service": "web" },
      }),
    );
    const e = new DockerEngine("docker", dir.path("docker.sock"), TIMING);
    engine = e;
    e.start(() => {});
    await e.settled();
    expect(e.state).toBe("connected");
    expect(e.containers()).toEqual([
      expect.objectContaining({ id: ID1, name: "web1", pid: 4242, compose: { project: "shop", service: "web" } }),
    ]);
    expect(JSON.stringify(e.containers())).not.toContain("hunter2");

    docker.containers.set(ID2, dockerInspect(ID2, "web2", 4343));
    docker.emit({ Type: "container", Action: "start", Actor: { ID: ID2 } });
    await eventually(() => e.containers().some((c) => c.name === "web2"));
    docker.containers.delete(ID1);
    docker.emit({ Type: "container", Action: "destroy", Actor: { ID: ID1 } });
    await eventually(() => !e.containers().some((c) => c.id === ID1));

    expect(docker.paths.some((p) => p.startsWith("/events"))).toBe(true);
    expect(new Set(docker.methods)).toEqual(new Set(["GET"]));
  });

  it("relists after the engine restarts (a reconnect)", async () => {
    const e = new DockerEngine("docker", dir.path("docker.sock"), TIMING);
    engine = e;
    e.start(() => {});
    await e.settled();
    expect(e.containers()).toEqual([]);
    await docker.close();
    await eventually(() => e.state === "unreachable");
    docker = await fakeDocker(dir.path("docker.sock"));
    docker.containers.set(ID1, dockerInspect(ID1, "web1", 4242));
    await eventually(() => e.state === "connected" && e.containers().length === 1);
    expect(new Set(docker.methods)).toEqual(new Set(["GET"]));
  });
});
