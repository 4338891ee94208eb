import type { Inventory } from "@nsatlas/protocol";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import { mirroredCounter } from "@nsatlas/service/mirrored-counter";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** What the agent's metrics read when scraped. */
export interface AgentMetricsSource {
  inventory(): Inventory | null;
  uplink(): { connected: boolean; framesSent: number; framesReceived: number; resyncs: number };
}

export interface AgentMetrics {
  /** Records one scan's wall time. */
  observeScan(seconds: number): void;
  /** Counts one action the agent finished, by result; the actions module calls it. */
  countAction(result: "succeeded" | "failed" | "refused"): void;
  render(): Promise<string>;
  readonly contentType: string;
}

/** The agent's Prometheus metrics: scan duration, the latest inventory's counts, uplink
 * frames and resyncs, actions by result, and Node's default process metrics. */
export function createAgentMetrics(source: AgentMetricsSource): AgentMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const scans = new Histogram({
    name: "nsatlas_scan_duration_seconds",
    help: "Wall time of one full scan of this host",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: "nsatlas_namespaces",
    help: "Namespaces in the latest scan, by type",
    labelNames: ["type"],
    registers: [registry],
    collect() {
      const byType = new Map<string, number>(NAMESPACE_TYPES.map((t) => [t, 0]));
      for (const n of source.inventory()?.namespaces ?? []) byType.set(n.type, (byType.get(n.type) ?? 0) + 1);
      for (const [type, n] of byType) this.set({ type }, n);
    },
  });
  new Gauge({
    name: "nsatlas_processes",
    help: "Processes in the latest scan",
    registers: [registry],
    collect() {
      this.set(source.inventory()?.processes.length ?? 0);
    },
  });
  new Gauge({
    name: "nsatlas_stacks",
    help: "Network stacks in the latest scan",
    registers: [registry],
    collect() {
      this.set(source.inventory()?.netstacks?.length ?? 0);
    },
  });
  new Gauge({
    name: "nsatlas_uplink_connected",
    help: "1 while the websocket to the hub is open",
    registers: [registry],
    collect() {
      this.set(source.uplink().connected ? 1 : 0);
    },
  });
  mirroredCounter(registry, "nsatlas_frames_out_total", "Frames sent to the hub", () => source.uplink().framesSent);
  mirroredCounter(
    registry,
    "nsatlas_frames_in_total",
    "Frames received from the hub",
    () => source.uplink().framesReceived,
  );
  mirroredCounter(registry, "nsatlas_resyncs_total", "Resyncs the hub asked for", () => source.uplink().resyncs);
  const actions = new Counter({
    name: "nsatlas_actions_total",
    help: "Actions this agent finished, by result",
    labelNames: ["result"],
    registers: [registry],
  });
  return {
    observeScan: (seconds) => scans.observe(seconds),
    countAction: (result) => actions.inc({ result }),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
