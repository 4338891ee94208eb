import { type AuditStorage, buildHostReport, type FleetStore, type HistoryStorage, hostReportCsv } from "@nsatlas/hub";
import { requireAuditReader } from "./audit-routes.js";
import { notFound } from "./http-error.js";
import { choiceParam, intParam, timeParam } from "./query-params.js";
import { RestResponse, type Route } from "./router.js";

const DAY = 86_400_000;

/** The host must be known now or to the history (a host long gone still has a past). */
export async function knownHost(fleet: FleetStore, history: HistoryStorage, id: string): Promise<string> {
  if (!fleet.host(id) && !(await history.knows(id))) throw notFound(`host ${JSON.stringify(id)}`);
  return id;
}

/** `GET /api/v1/hosts/{id}/history?from=&to=` (default: the last 24 h) and the auditor report
 * `GET /api/v1/hosts/{id}/report?from=&to=&format=json|csv`. */
export function historyRoutes(fleet: FleetStore, history: HistoryStorage, audit: AuditStorage): Route[] {
  return [
    {
      method: "GET",
      path: "/api/v1/hosts/{id}/history",
      handle: async ({ params, query }) => {
        const hostId = await knownHost(fleet, history, params.id ?? "");
        const to = timeParam(query, "to", Date.now());
        const from = timeParam(query, "from", to - DAY);
        const limit = intParam(query, "limit", 5000, 1, 50_000);
        const { events, truncated } = await history.events(hostId, from, to, limit);
        return { hostId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), events, truncated };
      },
    },
    {
      method: "GET",
      path: "/api/v1/hosts/{id}/report",
      handle: async ({ params, query, principal }) => {
        requireAuditReader(principal);
        const hostId = await knownHost(fleet, history, params.id ?? "");
        const to = timeParam(query, "to", Date.now());
        const from = timeParam(query, "from", to - DAY);
        const format = choiceParam(query, "format", ["json", "csv"] as const, "json");
        const report = await buildHostReport(history, audit, hostId, from, to);
        if (format === "json") return report;
        const name = `nsatlas-report-${hostId}-${report.from.replaceAll(":", "-")}.csv`;
        return new RestResponse(
          200,
          { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` },
          hostReportCsv(report),
        );
      },
    },
  ];
}

/** `?at=T` of `GET /api/v1/hosts/{id}/inventory`: namespaces, stacks, links and addresses at T. */
export function inventoryAtHandler(fleet: FleetStore, history: HistoryStorage) {
  return async (id: string, query: URLSearchParams) => {
    const hostId = await knownHost(fleet, history, id);
    return history.inventoryAt(hostId, timeParam(query, "at", Date.now()));
  };
}
