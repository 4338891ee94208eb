import type { ContainerEngine } from "@nsatlas/protocol";
import { type Flag, type FlagSpec, SWITCH, VALUE } from "./strict-args.js";

/** Which container engine sockets to ask (read-only); empty lists mean the usual paths. */
export interface EngineCliOptions {
  engines: boolean;
  sockets: Record<ContainerEngine, string[]>;
}

export const ENGINE_USAGE = `  --docker-socket PATH      Docker Engine API socket (default /var/run/docker.sock); repeatable
  --containerd-socket PATH  containerd socket (default /run/containerd/containerd.sock); repeatable
  --podman-socket PATH      podman API socket (default /run/podman/podman.sock and every
                            /run/user/<uid>/podman/podman.sock); repeatable
  --crio-socket PATH        CRI-O socket (default /var/run/crio/crio.sock); repeatable
  --no-engines              ask no container engine (names come from cgroup paths only)
`;

export function defaultEngineOptions(): EngineCliOptions {
  return { engines: true, sockets: { docker: [], containerd: [], podman: [], "cri-o": [] } };
}

const SOCKET_FLAGS = new Map<string, ContainerEngine>([
  ["--docker-socket", "docker"],
  ["--containerd-socket", "containerd"],
  ["--podman-socket", "podman"],
  ["--crio-socket", "cri-o"],
]);

/** The engine flags, for strictFlags. */
export const ENGINE_FLAGS: FlagSpec = {
  "no-engines": SWITCH,
  ...Object.fromEntries([...SOCKET_FLAGS.keys()].map((f) => [f.slice(2), VALUE])),
};

/** Takes an engine flag into `opts`; false when `f` is not one. */
export function readEngineFlag(f: Flag, opts: EngineCliOptions): boolean {
  if (f.flag === "--no-engines") {
    opts.engines = false;
    return true;
  }
  const engine = SOCKET_FLAGS.get(f.flag);
  if (!engine || f.value === undefined) return false;
  opts.sockets[engine].push(f.value);
  return true;
}
