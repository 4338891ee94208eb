import type { TRPCRouterRecord } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { hostSummary } from "../../rest/host-routes.js";
import { authedProcedure } from "../init.js";

export const hostsRouter = {
  list: authedProcedure.query(({ ctx }) => ctx.fleet.hosts().map((h) => hostSummary(ctx.fleet, h))),
  inventory: authedProcedure.input(z.object({ id: z.string().min(1).max(128) })).query(({ ctx, input }) => {
    const host = ctx.fleet.host(input.id);
    if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `no host ${JSON.stringify(input.id)}` });
    // epoch and seq: where the tab's live subscription resumes from (live.events lastEventId).
    return { summary: hostSummary(ctx.fleet, host), inventory: host.inventory, epoch: host.epoch, seq: host.seq };
  }),
} satisfies TRPCRouterRecord;
