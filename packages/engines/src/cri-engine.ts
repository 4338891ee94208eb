import type * as grpc from "@grpc/grpc-js";
import type { EngineContainer } from "./engine-container.js";
import { loadService, serverStream, unary, unixClient, watchStream } from "./grpc-services.js";
import { capLabels, podFromLabels } from "./labels.js";
import { DEFAULT_TIMING, type EngineTiming, WatchedEngine } from "./watched-engine.js";

interface Sandboxes {
  items: Array<{
    id: string;
    metadata: { name: string; uid: string; namespace: string } | null;
    state: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  }>;
}
interface Containers {
  containers: Array<{
    id: string;
    podSandboxId: string;
    metadata: { name: string } | null;
    image: { image: string } | null;
    imageRef: string;
    state: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  }>;
}

/** Pod sandboxes and containers as the CRI lists them. The CRI tells no pids: processes join
 * by the id in their cgroup path (crio-<id>.scope). */
export function fromCri(sandboxes: Sandboxes, containers: Containers): EngineContainer[] {
  const pods = new Map(
    sandboxes.items.map((s) => [
      s.id,
      s.metadata
        ? { name: s.metadata.name, namespace: s.metadata.namespace, uid: s.metadata.uid }
        : podFromLabels(s.labels ?? {}),
    ]),
  );
  const out: EngineContainer[] = sandboxes.items.map((s) => ({
    id: s.id,
    engine: "cri-o",
    name: s.metadata?.name ?? null,
    image: null,
    state: s.state === "SANDBOX_READY" ? "running" : "notready",
    pid: null,
    pod: pods.get(s.id) ?? null,
    compose: null,
    labels: capLabels(s.labels, s.annotations),
    sandbox: true,
    netnsInode: null,
    namespace: null,
  }));
  for (const c of containers.containers) {
    out.push({
      id: c.id,
      engine: "cri-o",
      name: c.metadata?.name ?? null,
      image: c.image?.image || c.imageRef || null,
      state: c.state.replace(/^CONTAINER_/, "").toLowerCase(),
      pid: null,
      pod: pods.get(c.podSandboxId) ?? podFromLabels(c.labels ?? {}),
      compose: null,
      labels: capLabels(c.labels, c.annotations),
      sandbox: false,
      netnsInode: null,
      namespace: null,
    });
  }
  return out;
}

/** CRI-O through the CRI API (runtime.v1) on its socket. */
export class CriEngine extends WatchedEngine {
  readonly engine = "cri-o" as const;
  #client: grpc.Client | null = null;

  constructor(socket: string, timing: EngineTiming = DEFAULT_TIMING) {
    super(socket, timing);
  }

  #api(): grpc.Client {
    this.#client ??= unixClient(loadService("cri-runtime.proto", "runtime.v1.RuntimeService"), this.socket);
    return this.#client;
  }

  protected async listAll(): Promise<EngineContainer[]> {
    const t = this.timing.timeoutMs;
    const [sandboxes, containers] = await Promise.all([
      unary<Sandboxes>(this.#api(), "ListPodSandbox", {}, t),
      unary<Containers>(this.#api(), "ListContainers", {}, t),
    ]);
    return fromCri(sandboxes, containers);
  }

  protected async subscribe(onEnd: (err: unknown) => void): Promise<() => void> {
    const stream = serverStream(this.#api(), "GetContainerEvents", {});
    return watchStream(stream, () => this.relistSoon(), onEnd);
  }

  protected override close(): void {
    this.#client?.close();
    this.#client = null;
  }
}
