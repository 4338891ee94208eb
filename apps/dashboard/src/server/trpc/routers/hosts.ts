import type { TRPCRouterRecord } from "@trpc/server";
import { hostView, listHosts } from "../../api/operations/hosts.js";
import { queryOf } from "../init.js";

export const hostsRouter = {
  list: queryOf(listHosts),
  inventory: queryOf(hostView),
} satisfies TRPCRouterRecord;
