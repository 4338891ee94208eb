import { randomUUID } from "node:crypto";
import { ActionError, type ActionRequestMeta } from "@nsatlas/hub";
import type { TRPCRouterRecord } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ACTION_TRPC_CODE } from "../../action-errors.js";
import type { Principal } from "../../auth.js";
import { authedProcedure } from "../init.js";

const meta = (ctx: { principal: Principal; sourceIp: string | null }): ActionRequestMeta => ({
  actor: { name: ctx.principal.name, role: ctx.principal.role },
  sourceIp: ctx.sourceIp,
  requestId: randomUUID(),
});

async function translated<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ActionError)
      throw new TRPCError({ code: ACTION_TRPC_CODE[err.kind], message: err.message, cause: err });
    throw err;
  }
}

/** Guarded actions for the UI: the same service as the REST routes (plan → confirm). */
export const actionsRouter = {
  /** May the current user act on this host (or at all, with hostId null)? The UI hides its
   * controls and says why; the server enforces it regardless. */
  policy: authedProcedure
    .input(z.object({ hostId: z.string().min(1).max(128).nullable() }))
    .query(({ ctx, input }) => ctx.guarded.actions.policy(ctx.principal.role, input.hostId)),
  plan: authedProcedure
    .input(z.object({ hostId: z.string().min(1).max(128), action: z.unknown() }))
    .mutation(({ ctx, input }) => translated(() => ctx.guarded.actions.plan(meta(ctx), input.hostId, input.action))),
  confirm: authedProcedure
    .input(z.object({ planId: z.string().min(1).max(64), confirm: z.string().max(256) }))
    .mutation(({ ctx, input }) =>
      translated(() => ctx.guarded.actions.confirm(meta(ctx), input.planId, { confirm: input.confirm })),
    ),
} satisfies TRPCRouterRecord;
