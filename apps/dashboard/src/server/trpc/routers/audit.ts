import type { TRPCRouterRecord } from "@trpc/server";
import { latestAudit, listAudit, verifyAudit } from "../../api/operations/audit.js";
import { queryOf } from "../init.js";

export const auditRouter = {
  list: queryOf(listAudit),
  latest: queryOf(latestAudit),
  verify: queryOf(verifyAudit),
} satisfies TRPCRouterRecord;
