import { join } from "node:path";
import type { Inventory } from "@nsatlas/protocol";
import { resolveNamespaceName } from "@nsatlas/protocol/stack-name";
import {
  busyboxImageArchive,
  containerdTaskPid,
  type EngineDaemon,
  runKubeletPod,
  startContainerd,
  World,
} from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanJson } from "./agent-cli.js";

// A containerd of our own; a pod made as kubelet's CRI plugin makes one, in namespace k8s.io:
// a sandbox and two containers that join its network, labelled as the CRI plugin labels them.
const world = new World();
let containerd: EngineDaemon;
const IMAGE = `docker.io/library/${world.prefix}-busybox:1`;

function stackName(inv: Inventory, net: number): string {
  const ns = inv.namespaces.find((n) => n.type === "net" && n.inode === net);
  if (!ns) throw new Error(`no net:${net} in the scan`);
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  return resolveNamespaceName(ns, (pid) => byPid.get(pid), inv.netstacks?.find((s) => s.ns === ns.id)?.sandbox).name;
}

beforeAll(async () => {
  containerd = await startContainerd(world.prefix);
  const archive = busyboxImageArchive(containerd.dir, IMAGE);
  for (const ns of ["k8s.io", "default"]) containerd.cli(["-n", ns, "images", "import", archive]);
}, 120_000);

afterAll(async () => {
  await containerd?.stop();
  await world.cleanup();
}, 120_000);

describe("containerd, for real", () => {
  it("names a kubelet pod in namespace k8s.io on the stack its sandbox and two containers share", async () => {
    const podRef = { name: `${world.prefix}-web-0`, namespace: "shop", uid: "3f1c2b9a-5d6e-4f70-8a91-b2c3d4e5f607" };
    const made = runKubeletPod(containerd, IMAGE, podRef, ["web", "sidecar"]);
    const { sandbox, sandboxPid } = made;
    const web = made.containers.web ?? "";
    const sidecar = made.containers.sidecar ?? "";
    const plain = `${world.prefix}-plain`;
    containerd.cli(["-n", "default", "run", "-d", IMAGE, plain, "sleep", "1000"]);

    const none = join(containerd.dir, "none.sock");
    const inv = await scanJson([
      "--containerd-socket",
      containerd.socket,
      "--docker-socket",
      none,
      "--podman-socket",
      none,
      "--crio-socket",
      none,
    ]);
    const sandboxProc = inv.processes.find((p) => p.pid === sandboxPid);
    const net = sandboxProc?.ns.net ?? 0;
    expect(stackName(inv, net)).toBe(`shop/${podRef.name}`);
    const stack = inv.netstacks?.find((s) => s.ns === `net:${net}`);
    expect(stack?.containers).toEqual([sandbox, web, sidecar].sort());
    expect(stack?.sandbox).toEqual({ engine: "containerd", containerId: sandbox, pod: podRef });
    const webProc = inv.processes.find((p) => p.pid === containerdTaskPid(containerd, "k8s.io", web));
    expect(webProc?.container).toMatchObject({
      runtime: "containerd",
      id: web,
      engine: "containerd",
      name: "web",
      pod: podRef,
    });
    expect(webProc?.ns.net).toBe(net);
    expect(inv.containers.find((c) => c.id === sidecar)).toMatchObject({
      name: "sidecar",
      pod: podRef,
      image: IMAGE,
      state: "running",
    });
    expect(inv.containers.find((c) => c.id === sandbox)?.pid).toBe(sandboxPid);
    // Outside CRI the id is the name; the namespace is another containerd namespace.
    expect(inv.containers.find((c) => c.id === plain)).toMatchObject({ name: plain, pod: null, state: "running" });
  });
});
