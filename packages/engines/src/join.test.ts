import type { ContainerHint, Inventory, Process } from "@nsatlas/protocol";
import { sampleInventory } from "@nsatlas/test-world";
import { describe, expect, it } from "vitest";
import type { EngineContainer } from "./engine-container.js";
import { joinContainers } from "./join.js";

const ID1 = "1".repeat(64);
const ID2 = "2".repeat(64);
const NS = { cgroup: 1, ipc: 2, mnt: 3, net: 4, pid: 5, time: 6, user: 7, uts: 8 };
const UNNAMED = { engine: null, name: null, image: null, pod: null, compose: null };

function proc(pid: number, net: number, container: ContainerHint | null): Process {
  return {
    pid,
    ppid: 1,
    comm: "sleep",
    cmdline: ["sleep"],
    uid: 0,
    user: "root",
    startTime: pid,
    nspid: [pid],
    container,
    ns: { ...NS, net },
    nsForChildren: { pid: 5, time: 6 },
  };
}

function record(id: string, over: Partial<EngineContainer>): EngineContainer {
  return {
    id,
    engine: "docker",
    name: null,
    image: "busybox",
    state: "running",
    pid: null,
    pod: null,
    compose: null,
    labels: {},
    sandbox: true,
    netnsInode: null,
    namespace: null,
    ...over,
  };
}

function inventory(): Inventory {
  const hint = (id: string): ContainerHint => ({ runtime: "docker", id, podUid: null, ...UNNAMED });
  return sampleInventory({
    processes: [proc(10, 4, null), proc(20, 900, hint(ID1)), proc(21, 900, hint(ID2))],
    netstacks: [
      { ns: "net:4", links: [], routes: [], listening: [], files: {} },
      { ns: "net:900", links: [], routes: [], listening: [], files: {} },
    ],
  });
}

describe("joinContainers", () => {
  it("names processes, lists each stack's containers and its sandbox (--network container:)", () => {
    const inv = joinContainers(inventory(), {
      containers: [record(ID1, { name: "web1", pid: 20 }), record(ID2, { name: "web2", pid: 21, sandbox: false })],
      connected: new Set(["docker"]),
      unreachable: [],
    });
    expect(inv.processes.map((p) => p.container?.name ?? null)).toEqual([null, "web1", "web2"]);
    expect(inv.processes[1]?.container).toMatchObject({
      runtime: "docker",
      id: ID1,
      engine: "docker",
      image: "busybox",
    });
    expect(inv.containers.map((c) => [c.name, c.pid, c.ns?.net])).toEqual([
      ["web1", 20, 900],
      ["web2", 21, 900],
    ]);
    expect(inv.netstacks?.[1]).toMatchObject({
      containers: [ID1, ID2],
      sandbox: { engine: "docker", containerId: ID1, pod: null },
    });
    expect(inv.netstacks?.[0]).toMatchObject({ containers: [], sandbox: null });
  });

  it("lets Docker name its containers over containerd's moby namespace", () => {
    const inv = joinContainers(inventory(), {
      containers: [
        record(ID1, { engine: "containerd", name: ID1, namespace: "moby", pid: 20 }),
        record(ID1, { name: "web1", pid: 20 }),
      ],
      connected: new Set(["docker", "containerd"]),
      unreachable: [],
    });
    expect(inv.containers).toHaveLength(1);
    expect(inv.containers[0]).toMatchObject({ engine: "docker", name: "web1" });
  });

  it("keeps cgroup hints without engines, and turns an unreachable engine into a warning and a finding", () => {
    const inv = joinContainers(inventory(), {
      containers: [],
      connected: new Set(),
      unreachable: [{ engine: "docker", socket: "/x/docker.sock", error: "list: no answer within 1000 ms" }],
    });
    expect(inv.processes[1]?.container).toEqual({ runtime: "docker", id: ID1, podUid: null, ...UNNAMED });
    expect(inv.netstacks?.[1]?.containers).toEqual([ID1, ID2]);
    expect(inv.findings).toEqual([
      expect.objectContaining({ code: "engine-unreachable", message: expect.stringContaining("/x/docker.sock") }),
    ]);
    expect(inv.warnings).toEqual([expect.stringContaining("/x/docker.sock")]);
  });

  it("takes a CRI pod sandbox's stack as the pod's, and a cni-… netns name as some engine's sandbox", () => {
    const base = inventory();
    base.namespaces = [
      {
        id: "net:4",
        type: "net",
        inode: 4,
        initial: false,
        names: ["cni-0f1e2d3c"],
        pids: [10],
        holders: [],
        owner: null,
      },
    ];
    const pod = { name: "web-0", namespace: "shop", uid: "u1" };
    const inv = joinContainers(base, {
      containers: [
        record(ID1, { engine: "containerd", name: "web-0", pod, pid: 20, sandbox: true }),
        record(ID2, { engine: "containerd", name: "web", pod, pid: 21, sandbox: false }),
      ],
      connected: new Set(["containerd"]),
      unreachable: [],
    });
    expect(inv.netstacks?.[1]?.sandbox).toEqual({ engine: "containerd", containerId: ID1, pod });
    expect(inv.netstacks?.[0]?.sandbox).toEqual({ engine: null, containerId: null, pod: null });
    expect(inv.processes[2]?.container?.podUid).toBe("u1");
  });
});
