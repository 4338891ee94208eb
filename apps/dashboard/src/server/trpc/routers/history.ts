import { type Awaitable, buildHostReport } from "@nsatlas/hub";
import type { TRPCRouterRecord } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure } from "../init.js";
import { auditReaderProcedure } from "./audit.js";

const Host = z.string().min(1).max(128);
const Time = z.number().int().nonnegative();
const Window = z.object({ hostId: Host, from: Time, to: Time });

async function known(
  ctx: { fleet: { host(id: string): unknown }; guarded: { history: { knows(id: string): Awaitable<boolean> } } },
  id: string,
): Promise<string> {
  if (!ctx.fleet.host(id) && !(await ctx.guarded.history.knows(id))) {
    throw new TRPCError({ code: "NOT_FOUND", message: `no host ${JSON.stringify(id)}` });
  }
  return id;
}

/** When namespaces, stacks, links and addresses came and went: timeline, "as of", diff, report. */
export const historyRouter = {
  events: authedProcedure
    .input(Window.extend({ limit: z.number().int().min(1).max(50_000).default(5000) }))
    .query(async ({ ctx, input }) =>
      ctx.guarded.history.events(await known(ctx, input.hostId), input.from, input.to, input.limit),
    ),
  at: authedProcedure
    .input(z.object({ hostId: Host, at: Time }))
    .query(async ({ ctx, input }) => ctx.guarded.history.inventoryAt(await known(ctx, input.hostId), input.at)),
  diff: authedProcedure
    .input(Window)
    .query(async ({ ctx, input }) => ctx.guarded.history.diff(await known(ctx, input.hostId), input.from, input.to)),
  report: auditReaderProcedure
    .input(Window)
    .query(async ({ ctx, input }) =>
      buildHostReport(ctx.guarded.history, ctx.guarded.audit, await known(ctx, input.hostId), input.from, input.to),
    ),
} satisfies TRPCRouterRecord;
