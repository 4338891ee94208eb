import type { TRPCRouterRecord } from "@trpc/server";
import { actionPolicy, confirmAction, planAction } from "../../api/operations/actions.js";
import { mutationOf, queryOf } from "../init.js";

/** Guarded actions for the UI: the operations of the REST routes (plan → confirm). */
export const actionsRouter = {
  policy: queryOf(actionPolicy),
  plan: mutationOf(planAction),
  confirm: mutationOf(confirmAction),
} satisfies TRPCRouterRecord;
