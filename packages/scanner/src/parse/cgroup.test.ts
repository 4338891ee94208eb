import { ContainerHint } from "@nsatlas/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseContainerHint } from "./cgroup.js";

const ID = "0123456789abcdef".repeat(4);
const UID = "8a1f5c1e-3b4d-4c2a-9e0f-1234567890ab";
const SLICE_UID = UID.replaceAll("-", "_");

const containerId = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 });
const podUid = fc.uuid().map((u) => u.toLowerCase());
const qos = fc.constantFrom("besteffort", "burstable", null);

/** systemd driver: kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid with _>.slice/<scope>. */
function systemdPod(uid: string, q: string | null, scope: string): string {
  const parent = q ? `kubepods-${q}.slice/kubepods-${q}-` : "kubepods-";
  return `0::/kubepods.slice/${q ? `kubepods-${q}.slice/` : ""}${parent.split("/").at(-1)}pod${uid.replaceAll("-", "_")}.slice/${scope}\n`;
}

/** cgroupfs driver: /kubepods/<qos>/pod<uid>/<container>. */
function cgroupfsPod(uid: string, q: string | null, container: string): string {
  return `0::/kubepods/${q ? `${q}/` : ""}pod${uid}/${container}\n`;
}

type CgroupPart = Pick<ContainerHint, "runtime" | "id" | "podUid">;
const UNNAMED = { engine: null, name: null, image: null, pod: null, compose: null };

describe("parseContainerHint", () => {
  it.each<[string, string, CgroupPart]>([
    [
      "containerd, cgroupfs driver (v1), namespace k8s.io",
      `4:memory:/k8s.io/${ID}\n`,
      { runtime: "containerd", id: ID, podUid: null },
    ],
    [
      "containerd, cgroupfs driver (v1), namespace default",
      `0::/default/${ID}\n`,
      { runtime: "containerd", id: ID, podUid: null },
    ],
    [
      "docker, cgroupfs driver (v1)",
      `12:pids:/docker/${ID}\n11:memory:/docker/${ID}\n0::/docker/${ID}\n`,
      { runtime: "docker", id: ID, podUid: null },
    ],
    ["docker, systemd driver", `0::/system.slice/docker-${ID}.scope\n`, { runtime: "docker", id: ID, podUid: null }],
    [
      "containerd CRI, systemd driver",
      `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${SLICE_UID}.slice/cri-containerd-${ID}.scope\n`,
      { runtime: "containerd", id: ID, podUid: UID },
    ],
    [
      "kubepods, cgroupfs driver",
      `0::/kubepods/burstable/pod${UID}/${ID}\n`,
      { runtime: "kubepods", id: ID, podUid: UID },
    ],
    [
      "kubepods guaranteed, cgroupfs driver",
      `0::/kubepods/pod${UID}/${ID}\n`,
      { runtime: "kubepods", id: ID, podUid: UID },
    ],
    [
      "CRI-O, systemd driver",
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${SLICE_UID}.slice/crio-${ID}.scope\n`,
      { runtime: "cri-o", id: ID, podUid: UID },
    ],
    [
      "CRI-O, cgroupfs driver",
      `0::/kubepods/besteffort/pod${UID}/crio-${ID}\n`,
      { runtime: "cri-o", id: ID, podUid: UID },
    ],
    ["CRI-O conmon", `0::/system.slice/crio-conmon-${ID}.scope\n`, { runtime: "cri-o", id: ID, podUid: null }],
    ["podman rootful", `0::/machine.slice/libpod-${ID}.scope/container\n`, { runtime: "podman", id: ID, podUid: null }],
    [
      "podman rootless",
      `0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope\n`,
      { runtime: "podman", id: ID, podUid: null },
    ],
    ["podman, cgroupfs driver", `0::/libpod_parent/libpod-${ID}\n`, { runtime: "podman", id: ID, podUid: null }],
    [
      "a pod sandbox with no container id",
      `0::/kubepods.slice/kubepods-pod${SLICE_UID}.slice\n`,
      { runtime: "kubepods", id: null, podUid: UID },
    ],
    ["lxc (legacy)", "0::/lxc/web1\n", { runtime: "lxc", id: "web1", podUid: null }],
    [
      "lxc 4 / LXD payload",
      "0::/lxc.payload.web1/system.slice/sshd.service\n",
      { runtime: "lxc", id: "web1", podUid: null },
    ],
    ["lxc 3 payload", "4:memory:/lxc.payload/web1\n", { runtime: "lxc", id: "web1", podUid: null }],
    [
      "systemd-nspawn service",
      "0::/machine.slice/systemd-nspawn@my\\x2dbox.service/payload\n",
      { runtime: "systemd-nspawn", id: "my-box", podUid: null },
    ],
    [
      "systemd-nspawn scope",
      "0::/machine.slice/machine-debian.scope\n",
      { runtime: "systemd-nspawn", id: "debian", podUid: null },
    ],
  ])("recognises %s", (_, text, hint) => {
    expect(parseContainerHint(text)).toMatchObject({ ...hint, ...UNNAMED });
  });

  it.each([
    ["a host user session", "0::/user.slice\n"],
    ["a host login scope", "0::/user.slice/user-1000.slice/session-3.scope\n"],
    ["pid 1", "0::/init.scope\n"],
    ["the root cgroup", "0::/\n"],
    ["dockerd itself", "0::/system.slice/docker.service\n"],
    ["containerd itself", "0::/system.slice/containerd.service\n"],
    ["the lxc autostart unit", "0::/system.slice/lxc.service\n"],
    ["an lxc monitor, which runs on the host", "0::/lxc.monitor.web1\n"],
    ["lxc's pivot cgroup", "0::/lxc.pivot\n"],
    ["lxcfs", "0::/system.slice/lxcfs.service\n"],
    ["a v1 host process", "9:name=systemd:/\n8:pids:/\n4:memory:/user.slice\n0::/\n"],
    ["a short docker-like id", "0::/docker/0123abcd\n"],
    ["a 64-hex name two levels down", `0::/system.slice/a/${ID}\n`],
    ["empty text", ""],
  ])("gives null for %s", (_, text) => {
    expect(parseContainerHint(text)).toBeNull();
  });

  it("finds the pod uid with '_' in systemd slices and '-' in cgroupfs paths, for any uid and id", () => {
    fc.assert(
      fc.property(podUid, containerId, qos, (uid, id, q) => {
        expect(parseContainerHint(systemdPod(uid, q, `cri-containerd-${id}.scope`))).toMatchObject({
          runtime: "containerd",
          id,
          podUid: uid,
        });
        expect(parseContainerHint(systemdPod(uid, q, `crio-${id}.scope`))).toMatchObject({
          runtime: "cri-o",
          id,
          podUid: uid,
        });
        expect(parseContainerHint(cgroupfsPod(uid, q, id))).toMatchObject({ runtime: "kubepods", id, podUid: uid });
        expect(parseContainerHint(cgroupfsPod(uid, q, `crio-${id}`))).toMatchObject({
          runtime: "cri-o",
          id,
          podUid: uid,
        });
      }),
      { numRuns: 500 },
    );
  });

  it("recognises every runtime's scope for any 64-hex id", () => {
    fc.assert(
      fc.property(containerId, (id) => {
        expect(parseContainerHint(`0::/system.slice/docker-${id}.scope`)?.id).toBe(id);
        expect(parseContainerHint(`0::/docker/${id}`)?.id).toBe(id);
        expect(parseContainerHint(`0::/machine.slice/libpod-${id}.scope`)?.id).toBe(id);
        expect(parseContainerHint(`0::/system.slice/crio-${id}.scope`)?.id).toBe(id);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws; what it returns satisfies the protocol's ContainerHint", () => {
    const pieces = fc.constantFrom(
      "/",
      "docker",
      "-",
      "docker-",
      ".scope",
      "kubepods",
      "pod",
      "lxc",
      ".payload",
      "machine.slice",
      "\n",
      ID,
      UID,
      SLICE_UID,
    );
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.array(pieces, { maxLength: 12 }).map((p) => p.join("")),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const hint = parseContainerHint(text);
        if (hint !== null) expect(ContainerHint.safeParse(hint).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
