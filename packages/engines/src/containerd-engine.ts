import type * as grpc from "@grpc/grpc-js";
import type { EngineContainer } from "./engine-container.js";
import { loadService, serverStream, unary, unixClient, watchStream } from "./grpc-services.js";
import { capLabels, composeFromLabels, criContainerName, isCriSandbox, podFromLabels } from "./labels.js";
import { DEFAULT_TIMING, type EngineTiming, WatchedEngine } from "./watched-engine.js";

interface Namespaces {
  namespaces: Array<{ name: string }>;
}
interface Containers {
  containers: Array<{ id: string; labels: Record<string, string>; image: string }>;
}
interface Tasks {
  tasks: Array<{ containerId: string; id: string; pid: number; status: string }>;
}

/** containerd's namespace header: every call but namespace listing is per namespace. */
const NS_HEADER = "containerd-namespace";

/** Containers of one containerd namespace, with the pid and status of their tasks. */
export function fromContainerd(namespace: string, containers: Containers, tasks: Tasks): EngineContainer[] {
  // A task's init process carries the container's id in `id` (container_id stays empty there).
  const byId = new Map(tasks.tasks.map((t) => [t.containerId || t.id, t]));
  return containers.containers.map((c) => {
    const labels = c.labels ?? {};
    const task = byId.get(c.id);
    const pod = podFromLabels(labels);
    const sandbox = isCriSandbox(labels);
    const running = task?.status === "RUNNING" && task.pid > 0;
    return {
      id: c.id,
      engine: "containerd",
      // Outside CRI a containerd id is the name its user chose (`ctr run IMAGE web1`); in
      // Docker's `moby` namespace it is Docker's id, and the name is Docker's to tell.
      name: criContainerName(labels) ?? (sandbox && pod ? pod.name : namespace === "moby" ? null : c.id),
      image: c.image || null,
      state: task ? task.status.toLowerCase() : "created",
      pid: running ? task.pid : null,
      pod,
      compose: composeFromLabels(labels),
      labels: capLabels(labels),
      sandbox,
      netnsInode: null,
      namespace,
    };
  });
}

/** containerd's API over gRPC, in every namespace (k8s.io, moby, default, …). */
export class ContainerdEngine extends WatchedEngine {
  readonly engine = "containerd" as const;
  #clients: { ns: grpc.Client; containers: grpc.Client; tasks: grpc.Client; events: grpc.Client } | null = null;

  constructor(socket: string, timing: EngineTiming = DEFAULT_TIMING) {
    super(socket, timing);
  }

  #api() {
    if (!this.#clients) {
      const s = this.socket;
      this.#clients = {
        ns: unixClient(loadService("containerd-namespaces.proto", "containerd.services.namespaces.v1.Namespaces"), s),
        containers: unixClient(
          loadService("containerd-containers.proto", "containerd.services.containers.v1.Containers"),
          s,
        ),
        tasks: unixClient(loadService("containerd-tasks.proto", "containerd.services.tasks.v1.Tasks"), s),
        events: unixClient(loadService("containerd-events.proto", "containerd.services.events.v1.Events"), s),
      };
    }
    return this.#clients;
  }

  protected async listAll(): Promise<EngineContainer[]> {
    const api = this.#api();
    const t = this.timing.timeoutMs;
    const { namespaces } = await unary<Namespaces>(api.ns, "List", {}, t);
    const perNs = await Promise.all(
      namespaces.map(async ({ name }) => {
        const md = { [NS_HEADER]: name };
        const [containers, tasks] = await Promise.all([
          unary<Containers>(api.containers, "List", {}, t, md),
          unary<Tasks>(api.tasks, "List", {}, t, md),
        ]);
        return fromContainerd(name, containers, tasks);
      }),
    );
    return perNs.flat();
  }

  protected async subscribe(onEnd: (err: unknown) => void): Promise<() => void> {
    const stream = serverStream(this.#api().events, "Subscribe", {
      filters: ['topic~="^/containers/"', 'topic~="^/tasks/"'],
    });
    return watchStream(stream, () => this.relistSoon(), onEnd);
  }

  protected override close(): void {
    for (const c of Object.values(this.#clients ?? {})) c.close();
    this.#clients = null;
  }
}
