import type { PromMetrics } from "../prom-metrics.js";
import { HttpError } from "./http-error.js";
import { RestResponse, type Route } from "./router.js";

/** `GET /metrics` (Prometheus text format): any person's or script's token (admin, operator,
 * auditor — an auditor token suits a scraper); agent tokens are refused. */
export function metricsRoutes(metrics: PromMetrics): Route[] {
  return [
    {
      method: "GET",
      path: "/metrics",
      async handle({ principal }) {
        if (principal?.role === "agent") throw new HttpError(403, "FORBIDDEN", "agent tokens cannot read metrics");
        return new RestResponse(200, { "content-type": metrics.contentType }, await metrics.render());
      },
    },
  ];
}
