import { statSync } from "node:fs";
import type { ContainerEngine } from "@nsatlas/protocol";
import Docker from "dockerode";
import type { EngineContainer } from "./engine-container.js";
import { JsonLines } from "./json-lines.js";
import { capLabels, composeFromLabels, criContainerName, isCriSandbox, podFromLabels } from "./labels.js";
import { DEFAULT_TIMING, type EngineTiming, WatchedEngine, withTimeout } from "./watched-engine.js";

interface DockerEvent {
  Type?: string;
  Action?: string;
  id?: string;
  Actor?: { ID?: string };
}

type Inspect = Awaited<ReturnType<Docker.Container["inspect"]>>;

/** Inode of the network namespace Docker made for a container (its SandboxKey is an nsfs
 * bind mount under the exec root), or null when not reachable from here. */
function sandboxInode(key: string | undefined): number | null {
  if (!key) return null;
  try {
    return statSync(key).ino;
  } catch {
    return null; // another mount namespace (the agent in a container), or already gone
  }
}

/** A container from Docker's inspect answer; Config.Env is read past, never kept. */
export function fromDockerInspect(engine: ContainerEngine, c: Inspect): EngineContainer {
  const labels = c.Config?.Labels ?? {};
  const networkMode = c.HostConfig?.NetworkMode ?? "";
  const running = c.State?.Running === true && (c.State?.Pid ?? 0) > 0;
  return {
    id: c.Id,
    engine,
    name: criContainerName(labels) ?? (c.Name ? c.Name.replace(/^\//, "") : null),
    image: c.Config?.Image ?? null,
    state: c.State?.Status ?? "unknown",
    pid: running ? (c.State?.Pid ?? null) : null,
    pod: podFromLabels(labels),
    compose: composeFromLabels(labels),
    labels: capLabels(labels),
    // A container joined to another's network (`--network container:X`) or the host's owns none.
    sandbox: isCriSandbox(labels) || !(networkMode.startsWith("container:") || networkMode === "host"),
    netnsInode: running ? sandboxInode(c.NetworkSettings?.SandboxKey) : null,
    namespace: null,
  };
}

const CONTAINER_ACTIONS = new Set(["create", "start", "die", "stop", "kill", "pause", "unpause", "rename", "update"]);

/** Docker Engine (or podman's Docker-compatible API) over its unix socket: GET requests only. */
export class DockerEngine extends WatchedEngine {
  readonly #api: Docker;
  readonly #events: Docker;
  #stream: NodeJS.ReadableStream | null = null;
  /** Events seen per container: an inspect answer older than the latest event is dropped
   * (`rm -f` is die then destroy; the die's inspect may answer after the destroy). */
  readonly #eventCount = new Map<string, number>();

  constructor(
    readonly engine: "docker" | "podman",
    socket: string,
    timing: EngineTiming = DEFAULT_TIMING,
  ) {
    super(socket, timing);
    this.#api = new Docker({ socketPath: socket, timeout: timing.timeoutMs });
    // No request timeout on the event stream: it is idle for as long as nothing happens.
    this.#events = new Docker({ socketPath: socket });
  }

  protected async listAll(): Promise<EngineContainer[]> {
    const list = await this.#api.listContainers({ all: true });
    // The list lacks pids and sandbox keys: inspect each, a few at a time.
    const out: EngineContainer[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < list.length; i = next++) {
        const one = await this.#inspect((list[i] as { Id: string }).Id);
        if (one) out.push(one);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, list.length) }, worker));
    return out;
  }

  async #inspect(id: string): Promise<EngineContainer | null> {
    try {
      return fromDockerInspect(this.engine, await this.#api.getContainer(id).inspect());
    } catch (err) {
      // Removed between the list (or event) and this lookup: gone, not an error.
      if ((err as { statusCode?: number }).statusCode === 404) return null;
      throw err;
    }
  }

  protected async subscribe(onEnd: (err: unknown) => void): Promise<() => void> {
    const stream = await this.#events.getEvents({ filters: JSON.stringify({ type: ["container"] }) });
    this.#stream = stream;
    const lines = new JsonLines((v) => this.#onEvent(v as DockerEvent));
    stream.on("data", (chunk: Buffer) => lines.push(chunk));
    stream.on("error", (err: Error) => onEnd(err));
    stream.on("end", () => onEnd(new Error("event stream ended")));
    return () => {
      stream.removeAllListeners();
      stream.on("error", () => {}); // a late socket error after we let go is not news
      (stream as unknown as { destroy?: () => void }).destroy?.();
      if (this.#stream === stream) this.#stream = null;
    };
  }

  #onEvent(e: DockerEvent): void {
    const id = e.Actor?.ID ?? e.id;
    if (e.Type !== "container" || !id) return;
    const action = (e.Action ?? "").split(":")[0] ?? "";
    if (action !== "destroy" && !CONTAINER_ACTIONS.has(action)) return; // exec_*, attach, top, …
    const seen = (this.#eventCount.get(id) ?? 0) + 1;
    this.#eventCount.set(id, seen);
    if (action === "destroy") {
      this.#eventCount.delete(id);
      this.remove(id);
      return;
    }
    void withTimeout(this.#inspect(id), this.timing.timeoutMs, "inspect")
      .then((c) => {
        if (this.#eventCount.get(id) !== seen) return; // a later event (or the destroy) decides
        if (c) this.upsert(c);
        else this.remove(id);
      })
      .catch(() => this.relist());
  }
}
