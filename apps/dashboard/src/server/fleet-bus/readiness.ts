import { unavailable } from "../rest/http-error.js";
import type { Route } from "../rest/router.js";
import type { FleetBus } from "./fleet-bus.js";

/** `/readyz` for a load balancer: 200 when this replica takes agents and users, 503 while it
 * drains or (with NSATLAS_NATS_URL) while it is cut off from NATS, where the agents it took
 * would be invisible to the other replicas. `/healthz` stays "the process is alive". */
export function readinessRoutes(state: () => { draining: boolean; bus: FleetBus | null }): Route[] {
  return [
    {
      method: "GET",
      path: "/readyz",
      public: true,
      handle: () => {
        const { draining, bus } = state();
        if (draining) throw unavailable("the server is shutting down");
        if (bus && !bus.connected()) throw unavailable("not connected to NATS");
        return { ready: true, ...(bus ? { replica: bus.replicaId } : {}) };
      },
    },
  ];
}
