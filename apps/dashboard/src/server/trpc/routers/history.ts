import type { TRPCRouterRecord } from "@trpc/server";
import { historyAt, historyDiff, historyEvents, hostReport } from "../../api/operations/history.js";
import { queryOf } from "../init.js";

/** When namespaces, stacks, links and addresses came and went: timeline, "as of", diff, report. */
export const historyRouter = {
  events: queryOf(historyEvents),
  at: queryOf(historyAt),
  diff: queryOf(historyDiff),
  report: queryOf(hostReport),
} satisfies TRPCRouterRecord;
