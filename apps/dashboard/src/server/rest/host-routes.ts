import type { FleetStore, HostRecord } from "@nsatlas/hub";
import type { HostSummary } from "@nsatlas/protocol";
import { notFound } from "./http-error.js";
import type { Route } from "./router.js";

/** The REST view of one host (also used by the UI). */
export function hostSummary(fleet: FleetStore, h: HostRecord): HostSummary {
  const inv = h.inventory;
  const stacks = inv ? (inv.netstacks?.length ?? inv.namespaces.filter((n) => n.type === "net").length) : 0;
  const state = fleet.stateOf(h);
  return {
    id: h.id,
    hostname: h.hostname,
    connected: state === "connected",
    state,
    lastSeen: new Date(h.lastFrameAt).toISOString(),
    readOnly: h.readOnly,
    agentVersion: h.agentVersion,
    credential: h.credential,
    labels: h.labels,
    kernel: inv?.host.kernel ?? null,
    counts: { namespaces: inv?.namespaces.length ?? 0, processes: inv?.processes.length ?? 0, stacks },
  };
}

export function hostRoutes(fleet: FleetStore): Route[] {
  return [
    {
      method: "GET",
      path: "/api/v1/hosts",
      handle: () => ({ hosts: fleet.hosts().map((h) => hostSummary(fleet, h)) }),
    },
    {
      method: "GET",
      path: "/api/v1/hosts/{id}/inventory",
      handle: ({ params }) => {
        const host = fleet.host(params.id ?? "");
        if (!host) throw notFound(`host ${JSON.stringify(params.id)}`);
        if (!host.inventory) throw notFound(`inventory of host ${JSON.stringify(params.id)} (no snapshot yet)`);
        return host.inventory;
      },
    },
  ];
}
