import type { ContainerEngine } from "@nsatlas/protocol";
import type { ArgReader } from "./arg-reader.js";

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

/** Takes an engine flag into `opts`; false when `flag` is not one. */
export function readEngineFlag(flag: string, r: ArgReader, opts: EngineCliOptions): boolean {
  if (flag === "--no-engines") {
    r.noValue(flag);
    opts.engines = false;
    return true;
  }
  const engine = SOCKET_FLAGS.get(flag);
  if (!engine) return false;
  opts.sockets[engine].push(r.value(flag));
  return true;
}
