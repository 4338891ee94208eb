import type { TRPCRouterRecord } from "@trpc/server";
import { whoAmI } from "../../api/operations/session.js";
import { queryOf } from "../init.js";

export const sessionRouter = {
  /** Who is logged in (the UI shows it and hides what the role may not do). */
  me: queryOf(whoAmI),
} satisfies TRPCRouterRecord;
