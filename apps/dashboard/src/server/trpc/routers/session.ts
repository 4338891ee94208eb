import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure } from "../init.js";

export const sessionRouter = {
  /** Who is logged in (the UI shows it and hides what the role may not do). */
  me: authedProcedure.query(({ ctx }) => ({ name: ctx.principal.name, role: ctx.principal.role })),
} satisfies TRPCRouterRecord;
