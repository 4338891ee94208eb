import { existsSync } from "node:fs";
import type { ContainerEngine } from "@nsatlas/protocol";
import type { EngineContainer } from "./engine-container.js";
import type { EngineSockets } from "./engine-sockets.js";
import type { EngineTiming, WatchedEngine } from "./watched-engine.js";

export interface UnreachableEngine {
  engine: ContainerEngine;
  socket: string;
  error: string;
}

export interface EngineView {
  containers: EngineContainer[];
  /** Engines that answer, by kind (Docker's presence decides who owns containerd's `moby`). */
  connected: Set<ContainerEngine>;
  unreachable: UnreachableEngine[];
}

const ENGINES = ["docker", "podman", "containerd", "cri-o"] as const;

async function makeEngine(engine: ContainerEngine, socket: string, timing?: EngineTiming): Promise<WatchedEngine> {
  // Each client is loaded only when its socket exists: a host without engines pays nothing.
  switch (engine) {
    case "docker":
    case "podman": {
      const { DockerEngine } = await import("./docker-engine.js");
      return new DockerEngine(engine, socket, timing);
    }
    case "containerd": {
      const { ContainerdEngine } = await import("./containerd-engine.js");
      return new ContainerdEngine(socket, timing);
    }
    case "cri-o": {
      const { CriEngine } = await import("./cri-engine.js");
      return new CriEngine(socket, timing);
    }
  }
}

/** Every engine socket of the host, watched; read-only. */
export class EngineSet {
  // Keyed by engine and socket: one path may be given for two engines (a test, a mistake).
  readonly #engines = new Map<string, WatchedEngine>();
  readonly #starting = new Map<string, Promise<void>>();
  readonly #absent = new Map<string, { engine: ContainerEngine; socket: string }>();
  #onChange: () => void = () => {};
  #watch = true;
  #poll: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    private readonly sockets: EngineSockets,
    private readonly timing?: EngineTiming,
  ) {}

  /** Connects to every socket that exists; with `watchEvents`, follows events and looks for
   * sockets that appear later (an engine started after the agent). */
  start(onChange: () => void, watchEvents = true): void {
    this.#onChange = onChange;
    this.#watch = watchEvents;
    for (const engine of ENGINES) for (const socket of this.sockets[engine]) this.#add(engine, socket);
    if (watchEvents) {
      // A stat per absent socket every few seconds: no engine is asked anything.
      this.#poll = setInterval(() => {
        for (const { engine, socket } of [...this.#absent.values()]) this.#add(engine, socket);
      }, 2_000);
      this.#poll.unref?.();
    }
  }

  #add(engine: ContainerEngine, socket: string): void {
    const key = `${engine} ${socket}`;
    if (this.#stopped || this.#engines.has(key) || this.#starting.has(key)) return;
    if (!existsSync(socket)) {
      this.#absent.set(key, { engine, socket });
      return;
    }
    this.#absent.delete(key);
    const starting = makeEngine(engine, socket, this.timing).then((e) => {
      this.#starting.delete(key);
      if (this.#stopped) return;
      this.#engines.set(key, e);
      e.start(() => this.#onChange(), this.#watch);
      return e.settled();
    });
    this.#starting.set(key, starting);
  }

  /** Resolves when every engine has answered or failed once, or after `ms`. */
  async settled(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    const all = (async () => {
      await Promise.all(this.#starting.values());
      await Promise.all([...this.#engines.values()].map((e) => e.settled()));
    })();
    await Promise.race([all, deadline]);
    clearTimeout(timer);
  }

  view(): EngineView {
    const containers: EngineContainer[] = [];
    const connected = new Set<ContainerEngine>();
    const unreachable: UnreachableEngine[] = [];
    for (const e of this.#engines.values()) {
      const socket = e.socket;
      if (e.state === "connected") {
        connected.add(e.engine);
        containers.push(...e.containers());
      } else if (e.state === "unreachable") unreachable.push({ engine: e.engine, socket, error: e.error ?? "unknown" });
      else unreachable.push({ engine: e.engine, socket, error: "no answer in the time the scan waits" });
    }
    for (const { engine, socket } of this.#absent.values()) {
      if (this.sockets.explicit.has(socket)) unreachable.push({ engine, socket, error: "no such socket" });
    }
    return { containers, connected, unreachable };
  }

  stop(): void {
    this.#stopped = true;
    if (this.#poll) clearInterval(this.#poll);
    for (const e of this.#engines.values()) e.stop();
    this.#engines.clear();
  }
}
