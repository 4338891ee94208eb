import type { FleetStore } from "@nsatlas/hub";
import { NAMESPACE_TYPES } from "@nsatlas/protocol";
import { mirroredCounter } from "@nsatlas/service/mirrored-counter";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { ServerMetrics } from "./server-metrics.js";

/** Results an action can end with, as the `result` label of nsatlas_actions_total. */
export type ActionResult = "succeeded" | "failed" | "refused" | "timeout";

export interface PromMetrics {
  /** Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
  /** Counts one finished action; the actions module calls it. */
  countAction(result: ActionResult): void;
}

/** What the NATS bridge counts (with NSATLAS_NATS_URL). */
export interface BusCounters {
  connected: boolean;
  published: number;
  received: number;
  publishedBytes: number;
  receivedBytes: number;
  rejected: number;
  syncRequests: number;
}

type BusCount = Exclude<keyof BusCounters, "connected">;
const BUS_COUNTERS: [string, string, BusCount][] = [
  ["nsatlas_bus_messages_out_total", "NATS messages published (chunks count one each)", "published"],
  ["nsatlas_bus_messages_in_total", "NATS messages received from other replicas", "received"],
  ["nsatlas_bus_bytes_out_total", "Payload bytes published on NATS", "publishedBytes"],
  ["nsatlas_bus_bytes_in_total", "Payload bytes received from NATS", "receivedBytes"],
  ["nsatlas_bus_rejected_total", "Bus messages refused (undecodable, invalid)", "rejected"],
  ["nsatlas_bus_sync_requests_total", "Times this replica asked another for hosts it missed", "syncRequests"],
];

/** nsatlas_bus_*: the replica's traffic on NATS; zero without NSATLAS_NATS_URL. */
function busMetrics(registry: Registry, bus: () => BusCounters | null): void {
  const read = (f: (b: BusCounters) => number) => () => {
    const b = bus();
    return b ? f(b) : 0;
  };
  new Gauge({
    name: "nsatlas_bus_connected",
    help: "1 while this replica is connected to NATS (0 without NSATLAS_NATS_URL)",
    registers: [registry],
    collect() {
      this.set(bus()?.connected ? 1 : 0);
    },
  });
  for (const [name, help, key] of BUS_COUNTERS)
    mirroredCounter(
      registry,
      name,
      help,
      read((b) => b[key]),
    );
}

/** The dashboard's metrics: agents by state, frames, resyncs, rejected frames, actions by
 * result, and fleet totals, computed from the fleet store when scraped (no per-host series,
 * which would grow with the fleet). Plus Node's default process metrics. */
export function createPromMetrics(
  fleet: FleetStore,
  counters: ServerMetrics,
  bus: () => BusCounters | null = () => null,
): PromMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  busMetrics(registry, bus);
  new Gauge({
    name: "nsatlas_agents",
    help: "Hosts known to the hub, by state (connected, or stale: socket closed or silent for 15 s)",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      let connected = 0;
      let stale = 0;
      for (const h of fleet.hosts()) {
        if (fleet.stateOf(h) === "connected") connected += 1;
        else stale += 1;
      }
      this.set({ state: "connected" }, connected);
      this.set({ state: "stale" }, stale);
    },
  });
  new Gauge({
    name: "nsatlas_agents_here",
    help: "Connected hosts whose agent socket is on this replica (all connected ones without NATS)",
    registers: [registry],
    collect() {
      this.set(fleet.hosts().filter((h) => h.replica === null && fleet.stateOf(h) === "connected").length);
    },
  });
  const transitions = new Counter({
    name: "nsatlas_agent_state_changes_total",
    help: "Hosts turning connected or stale (a stale flip of a live agent means the hub fell behind)",
    labelNames: ["state"],
    registers: [registry],
  });
  fleet.subscribe((e) => {
    if (e.kind === "state") transitions.inc({ state: e.state });
  });
  mirroredCounter(registry, "nsatlas_frames_in_total", "Frames received from agents", () => counters.framesIn);
  mirroredCounter(
    registry,
    "nsatlas_frames_out_total",
    "Frames sent to agents (acks, resyncs)",
    () => counters.framesOut,
  );
  mirroredCounter(
    registry,
    "nsatlas_resyncs_total",
    "Resyncs asked of agents (seq gap, unknown epoch)",
    () => counters.resyncs,
  );
  mirroredCounter(
    registry,
    "nsatlas_rejected_frames_total",
    "Agent frames refused (not JSON, schema, protocol)",
    () => counters.rejectedFrames,
  );
  const actions = new Counter({
    name: "nsatlas_actions_total",
    help: "Actions that ended, by result",
    labelNames: ["result"],
    registers: [registry],
  });
  new Gauge({
    name: "nsatlas_fleet_namespaces",
    help: "Namespaces in the latest inventories of all hosts, by type",
    labelNames: ["type"],
    registers: [registry],
    collect() {
      const byType = new Map<string, number>(NAMESPACE_TYPES.map((t) => [t, 0]));
      for (const h of fleet.hosts())
        for (const n of h.inventory?.namespaces ?? []) byType.set(n.type, (byType.get(n.type) ?? 0) + 1);
      for (const [type, n] of byType) this.set({ type }, n);
    },
  });
  new Gauge({
    name: "nsatlas_fleet_processes",
    help: "Processes in the latest inventories of all hosts",
    registers: [registry],
    collect() {
      this.set(fleet.hosts().reduce((sum, h) => sum + (h.inventory?.processes.length ?? 0), 0));
    },
  });
  new Gauge({
    name: "nsatlas_fleet_stacks",
    help: "Network stacks in the latest inventories of all hosts",
    registers: [registry],
    collect() {
      this.set(fleet.hosts().reduce((sum, h) => sum + (h.inventory?.netstacks?.length ?? 0), 0));
    },
  });
  return {
    render: () => registry.metrics(),
    contentType: registry.contentType,
    countAction: (result) => actions.inc({ result }),
  };
}
