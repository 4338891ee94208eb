import { buildHostReport, hostReportCsv } from "@nsatlas/hub";
import { HistoryDiff, HistoryResponse, HostReport, InventoryAt } from "@nsatlas/protocol";
import { z } from "zod";
import { knownHost } from "../host-summary.js";
import { defineOperation, type QueryParameter, type RestRequest } from "../operation.js";
import { choiceParam, intParam, timeParam } from "../query-params.js";
import { RestResponse } from "../rest-response.js";

const DAY = 86_400_000;
const Host = z.string().min(1).max(128);
const Time = z.number().int().nonnegative();
const Window = z.object({ hostId: Host, from: Time, to: Time });
/** `from`/`to` of a REST window: ISO-8601 or epoch ms, the last 24 h by default. */
const windowQuery: Record<string, QueryParameter> = {
  from: { description: "start: ISO-8601 or epoch ms (default: 24 h before `to`)", schema: z.string() },
  to: { description: "end: ISO-8601 or epoch ms (default: now)", schema: z.string() },
};
/** The host (404 when unknown, before the query is read) and the window of a REST request. */
async function windowOf({ params, query, services }: RestRequest) {
  const hostId = await knownHost(services.fleet, services.guarded.history, params.id ?? "");
  const to = timeParam(query, "to", Date.now());
  return { hostId, from: timeParam(query, "from", to - DAY), to };
}

export const historyEvents = defineOperation({
  id: "history.events",
  summary: "A host's history",
  description: "When namespaces, stacks, names, links and addresses appeared and disappeared, oldest first.",
  access: "user",
  mutates: false,
  trpc: true,
  input: Window.extend({ limit: z.number().int().min(1).max(50_000).default(5000) }),
  output: HistoryResponse,
  handle: async ({ services: { fleet, guarded }, input }) => {
    const hostId = await knownHost(fleet, guarded.history, input.hostId);
    const { events, truncated } = await guarded.history.events(hostId, input.from, input.to, input.limit);
    return {
      hostId,
      from: new Date(input.from).toISOString(),
      to: new Date(input.to).toISOString(),
      events,
      truncated,
    };
  },
  rest: {
    method: "GET",
    path: "/api/v1/hosts/{id}/history",
    answers: "events, oldest first",
    query: {
      ...windowQuery,
      limit: { description: "at most this many events (default 5000)", schema: z.number().int().min(1).max(50_000) },
    },
    errors: { 400: "bad from, to or limit", 404: "unknown host" },
    input: async (r) => ({ ...(await windowOf(r)), limit: intParam(r.query, "limit", 5000, 1, 50_000) }),
  },
});

export const historyAt = defineOperation({
  id: "history.at",
  summary: "A host as of a time",
  access: "user",
  mutates: false,
  trpc: true,
  input: z.object({ hostId: Host, at: Time }),
  output: InventoryAt,
  handle: async ({ services: { fleet, guarded }, input }) =>
    guarded.history.inventoryAt(await knownHost(fleet, guarded.history, input.hostId), input.at),
});

export const historyDiff = defineOperation({
  id: "history.diff",
  summary: "What changed on a host between two times",
  access: "user",
  mutates: false,
  trpc: true,
  input: Window,
  output: HistoryDiff,
  handle: async ({ services: { fleet, guarded }, input }) =>
    guarded.history.diff(await knownHost(fleet, guarded.history, input.hostId), input.from, input.to),
});

export const hostReport = defineOperation({
  id: "history.report",
  summary: "A host's auditor report",
  description:
    "The auditor report of a time window: the inventory at its start, the changes in it, and the audit rows about the host.",
  access: "audit-reader",
  mutates: false,
  trpc: true,
  input: Window.extend({ format: z.enum(["json", "csv"]).default("json").describe("REST only: the file's format") }),
  output: HostReport,
  handle: async ({ services: { fleet, guarded }, input }) =>
    buildHostReport(
      guarded.history,
      guarded.audit,
      await knownHost(fleet, guarded.history, input.hostId),
      input.from,
      input.to,
    ),
  rest: {
    method: "GET",
    path: "/api/v1/hosts/{id}/report",
    answers: "the report",
    headers: { "Content-Disposition": 'with format=csv: attachment; filename="nsatlas-report-<host>-<from>.csv"' },
    query: { ...windowQuery, format: { description: "json (default) or csv", schema: z.enum(["json", "csv"]) } },
    media: { other: ["text/csv"] },
    errors: { 400: "bad from, to or format", 403: "not an admin or auditor", 404: "unknown host" },
    input: async (r) => ({
      ...(await windowOf(r)),
      format: choiceParam(r.query, "format", ["json", "csv"] as const, "json"),
    }),
    reply: (report, input) => {
      if (input.format === "json") return report;
      const name = `nsatlas-report-${report.hostId}-${report.from.replaceAll(":", "-")}.csv`;
      return new RestResponse(
        200,
        { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` },
        hostReportCsv(report),
      );
    },
  },
});

export const historyOperations = [historyEvents, historyAt, historyDiff, hostReport];
