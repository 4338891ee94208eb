import { readdirSync } from "node:fs";
import type { ContainerEngine } from "@nsatlas/protocol";

/** Engine sockets to watch, per engine; `explicit` says the user named them (then an absent
 * socket is reported; an absent default one only means that engine is not installed). */
export interface EngineSockets {
  docker: string[];
  containerd: string[];
  podman: string[];
  "cri-o": string[];
  explicit: Set<string>;
}

/** The usual paths: rootful engines, and rootless podman of every user with a runtime dir. */
export function defaultEngineSockets(runUserDir = "/run/user"): EngineSockets {
  let users: string[] = [];
  try {
    users = readdirSync(runUserDir).filter((d) => /^\d+$/.test(d));
  } catch {
    users = []; // no /run/user (a minimal host or container): no rootless engines
  }
  return {
    docker: ["/var/run/docker.sock"],
    containerd: ["/run/containerd/containerd.sock"],
    podman: ["/run/podman/podman.sock", ...users.map((u) => `${runUserDir}/${u}/podman/podman.sock`)],
    "cri-o": ["/var/run/crio/crio.sock"],
    explicit: new Set(),
  };
}

/** Sockets after the flags: a flag given for an engine replaces that engine's defaults. */
export function engineSockets(
  given: Partial<Record<ContainerEngine, string[]>>,
  defaults: EngineSockets = defaultEngineSockets(),
): EngineSockets {
  const out: EngineSockets = { ...defaults, explicit: new Set(defaults.explicit) };
  for (const engine of ["docker", "containerd", "podman", "cri-o"] as const) {
    const paths = given[engine];
    if (!paths || paths.length === 0) continue;
    out[engine] = [...new Set(paths)];
    for (const p of paths) out.explicit.add(p);
  }
  return out;
}
