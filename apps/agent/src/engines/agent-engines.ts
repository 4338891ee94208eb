import { EngineSet, type EngineTiming, engineSockets, joinContainers } from "@nsatlas/engines";

export { DEFAULT_TIMING } from "@nsatlas/engines";

import type { Inventory } from "@nsatlas/protocol";
import type { EngineCliOptions } from "../cli/engine-options.js";

/** A one-shot scan waits at most this long after the kernel scan for engines to answer; a
 * socket that hangs longer is reported unreachable (the scan never waits on it). */
export const SCAN_ENGINE_TIMING: EngineTiming = { timeoutMs: 2_000, retryMs: 500, maxRetryMs: 5_000 };

/** The host's container engines as the agent asks them: read-only, event-driven when
 * `watchEvents`, joined to each scan; null with --no-engines. */
export class AgentEngines {
  readonly #set: EngineSet | null;

  constructor(opts: EngineCliOptions, onChange: () => void, watchEvents: boolean, timing?: EngineTiming) {
    this.#set = opts.engines ? new EngineSet(engineSockets(opts.sockets), timing) : null;
    this.#set?.start(onChange, watchEvents);
  }

  /** Resolves when every engine answered once (or failed), or after ms. */
  settled(ms: number): Promise<void> {
    return this.#set ? this.#set.settled(ms) : Promise.resolve();
  }

  /** Names the scan's containers, pods and sandboxes with what the engines last said. */
  join(inv: Inventory): Inventory {
    return joinContainers(inv, this.#set?.view() ?? null);
  }

  /** A joined copy of a kernel scan, which is left as it was: an engine event renames
   * containers without a new kernel scan (the kernel did not change; the names did). */
  joinCopy(raw: Inventory): Inventory {
    return this.join({
      ...raw,
      processes: raw.processes.map((p) => ({ ...p })),
      warnings: [...raw.warnings],
      findings: [...raw.findings],
      ...(raw.netstacks ? { netstacks: raw.netstacks.map((s) => ({ ...s })) } : {}),
    });
  }

  stop(): void {
    this.#set?.stop();
  }
}
