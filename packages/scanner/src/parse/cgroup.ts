import type { ContainerHint } from "@nsatlas/protocol";

const ID = "([0-9a-f]{64})";
/** Container runtimes by the names they give cgroups, with the cgroupfs and systemd drivers. */
const RUNTIMES: Array<[ContainerHint["runtime"], RegExp]> = [
  ["containerd", new RegExp(`cri-containerd-${ID}\\.scope`)],
  ["cri-o", new RegExp(`crio-(?:conmon-)?${ID}(?:\\.scope)?`)],
  ["podman", new RegExp(`libpod-(?:conmon-)?${ID}(?:\\.scope)?`)],
  ["docker", new RegExp(`docker-${ID}\\.scope`)],
  ["docker", new RegExp(`/docker/${ID}`)],
  // cgroupfs driver under kubepods: /kubepods/besteffort/pod<uid>/<id>; runtime unknown.
  ["kubepods", new RegExp(`/kubepods[^\\n]*/pod[0-9a-f-]{36}/${ID}`)],
  // containerd with the cgroupfs driver puts a container at /<containerd namespace>/<id>
  // (e.g. /k8s.io/<id>, /default/<id>); Docker's own /docker/<id> is matched above.
  ["containerd", new RegExp(`^[0-9]+:[^:\\n]*:/[A-Za-z0-9][A-Za-z0-9._-]*/${ID}$`, "m")],
];

/** What a cgroup path cannot tell: the engine fills these in when it answers. */
const UNNAMED = { engine: null, name: null, image: null, pod: null, compose: null } as const;
const POD_UID = /kubepods[^\n]*?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/;
// LXC puts the container in /lxc/<name> (legacy) or /lxc.payload.<name>; /lxc.monitor.<name>,
// /lxc.pivot and the lxc.service unit hold host processes, not the container.
const LXC = /\/lxc(?:\.payload[./]|\/)([^/\n]+)/;
const NSPAWN = /\/machine\.slice\/(?:systemd-nspawn@([^/\n]+)\.service|machine-([^/\n]+)\.scope)/;

/** Guesses the container a process runs in from its /proc/<pid>/cgroup text. It is a hint:
 * cgroup paths are conventions of the runtimes, and a process may move itself elsewhere. */
export function parseContainerHint(cgroupText: string): ContainerHint | null {
  const podMatch = POD_UID.exec(cgroupText);
  const podUid = podMatch?.[1] ? podMatch[1].replaceAll("_", "-") : null;
  for (const [runtime, re] of RUNTIMES) {
    const m = re.exec(cgroupText);
    if (m?.[1]) return { runtime, id: m[1], podUid, ...UNNAMED };
  }
  if (podUid) return { runtime: "kubepods", id: null, podUid, ...UNNAMED };
  const lxc = LXC.exec(cgroupText);
  if (lxc?.[1]) return { runtime: "lxc", id: lxc[1], podUid: null, ...UNNAMED };
  const nspawn = NSPAWN.exec(cgroupText);
  const machine = nspawn?.[1] ?? nspawn?.[2];
  if (machine) return { runtime: "systemd-nspawn", id: machine.replaceAll("\\x2d", "-"), podUid: null, ...UNNAMED };
  return null;
}
