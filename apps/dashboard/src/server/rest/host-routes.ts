import type { IncomingMessage } from "node:http";
import type { FleetStore, HostRecord } from "@nsatlas/hub";
import type { HostSummary } from "@nsatlas/protocol";
import type { Principal } from "../auth.js";
import { HttpError, notFound, unauthorized } from "./http-error.js";
import { RestResponse, type Route } from "./router.js";

/** The REST view of one host (also used by the UI). */
export function hostSummary(fleet: FleetStore, h: HostRecord): HostSummary {
  const inv = h.inventory;
  const stacks = inv ? (inv.netstacks?.length ?? inv.namespaces.filter((n) => n.type === "net").length) : 0;
  const state = fleet.stateOf(h);
  const scannedAt = inv ? Date.parse(inv.host.scannedAt) : Number.NaN;
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
    lagMs: h.inventoryAt > 0 && Number.isFinite(scannedAt) ? Math.round(h.inventoryAt - scannedAt) : null,
    counts: {
      namespaces: inv?.namespaces.length ?? 0,
      processes: inv?.processes.length ?? 0,
      stacks,
      findings: inv?.findings.length ?? 0,
    },
  };
}

/** `?label=k=v` (the label has that value) or `?label=k` (the label is set); repeatable, all must hold. */
export function labelFilter(values: readonly string[]): (labels: Record<string, string>) => boolean {
  const wanted = values.map((v) => {
    const eq = v.indexOf("=");
    const key = eq < 0 ? v : v.slice(0, eq);
    if (key.length === 0)
      throw new HttpError(400, "BAD_REQUEST", `label filter ${JSON.stringify(v)}: expected k=v or k`);
    return { key, value: eq < 0 ? null : v.slice(eq + 1) };
  });
  return (labels) =>
    wanted.every(({ key, value }) => Object.hasOwn(labels, key) && (value === null || labels[key] === value));
}

/** What removing a host tells the audit log. Written before the host is removed: if the
 * hook throws, nothing is removed (no row, no action). */
export interface HostRemovalEvent {
  actor: Principal;
  sourceIp: string | null;
  hostId: string;
  result: "requested" | "succeeded" | "denied" | "not-found";
}

export interface HostRoutesOptions {
  /** Audit hook for `DELETE /api/v1/hosts/{id}`; wired to the audit log by the composition root. */
  auditHostRemoval?: (event: HostRemovalEvent) => unknown;
  /** `GET /api/v1/hosts/{id}/inventory?at=T`: the host as the history saw it at T (issue 6). */
  inventoryAt?: (hostId: string, at: URLSearchParams) => unknown;
}

const sourceIp = (req: IncomingMessage) => req.socket.remoteAddress ?? null;

export function hostRoutes(fleet: FleetStore, o: HostRoutesOptions = {}): Route[] {
  const audit = o.auditHostRemoval ?? (() => {});
  return [
    {
      method: "GET",
      path: "/api/v1/hosts",
      handle: ({ query }) => {
        const matches = labelFilter(query.getAll("label"));
        return { hosts: fleet.hosts().flatMap((h) => (matches(h.labels) ? [hostSummary(fleet, h)] : [])) };
      },
    },
    {
      method: "GET",
      path: "/api/v1/hosts/{id}/inventory",
      handle: ({ params, query }) => {
        if (query.has("at") && o.inventoryAt) return o.inventoryAt(params.id ?? "", query);
        const host = fleet.host(params.id ?? "");
        if (!host) throw notFound(`host ${JSON.stringify(params.id)}`);
        if (!host.inventory) throw notFound(`inventory of host ${JSON.stringify(params.id)} (no snapshot yet)`);
        return host.inventory;
      },
    },
    {
      // Forgets a host (above all a stale one) with its last inventory. An agent still
      // connected is disconnected (close 4410) and shows up again when it reconnects.
      method: "DELETE",
      path: "/api/v1/hosts/{id}",
      handle: async ({ req, params, principal }) => {
        if (!principal) throw unauthorized();
        const event = { actor: principal, sourceIp: sourceIp(req), hostId: params.id ?? "" };
        if (principal.role !== "admin") {
          await audit({ ...event, result: "denied" });
          throw new HttpError(403, "FORBIDDEN", "only an admin may remove a host");
        }
        if (!fleet.host(event.hostId)) {
          await audit({ ...event, result: "not-found" });
          throw notFound(`host ${JSON.stringify(event.hostId)}`);
        }
        await audit({ ...event, result: "requested" });
        fleet.remove(event.hostId);
        await audit({ ...event, result: "succeeded" });
        return new RestResponse(204);
      },
    },
  ];
}
