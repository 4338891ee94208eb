import type { ComposeRef, ContainerEngine, PodRef } from "@nsatlas/protocol";

/** A container as an engine watcher keeps it, before it is joined to the scanned processes. */
export interface EngineContainer {
  id: string;
  engine: ContainerEngine;
  name: string | null;
  image: string | null;
  state: string;
  /** The init process (host pid namespace), when the engine tells it and it runs. */
  pid: number | null;
  pod: PodRef | null;
  compose: ComposeRef | null;
  labels: Record<string, string>;
  /** A CRI pod sandbox (the pause container), or a Docker container owning its network. */
  sandbox: boolean;
  /** Inode of the network namespace the engine made for it (Docker's SandboxKey), if known. */
  netnsInode: number | null;
  /** The engine's own namespace (containerd's namespaces: `moby`, `k8s.io`, …), else null. */
  namespace: string | null;
}
