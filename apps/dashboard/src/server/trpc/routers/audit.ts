import { mayReadAudit } from "@nsatlas/hub";
import type { TRPCRouterRecord } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure } from "../init.js";

/** Admins and auditors read the audit log (and reports, which contain it). */
export const auditReaderProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!mayReadAudit(ctx.principal.role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `the ${ctx.principal.role} role cannot read the audit log` });
  }
  return next();
});

export const auditRouter = {
  /** Rows after `since`, oldest first (the REST `GET /api/v1/audit` in tRPC form). */
  list: auditReaderProcedure
    .input(z.object({ since: z.number().int().nonnegative(), limit: z.number().int().min(1).max(1000) }))
    .query(({ ctx, input }) => ctx.guarded.audit.list(input.since, input.limit)),
  /** The newest rows, newest first (what the audit view opens with). */
  latest: auditReaderProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000) }))
    .query(async ({ ctx, input }) => {
      const head = (await ctx.guarded.audit.head())?.seq ?? 0;
      return (await ctx.guarded.audit.list(Math.max(0, head - input.limit), input.limit)).reverse();
    }),
  verify: auditReaderProcedure.query(({ ctx }) => ctx.guarded.verifyAudit()),
} satisfies TRPCRouterRecord;
