import type { FleetStore } from "@nsatlas/hub";
import { initTRPC, TRPCError } from "@trpc/server";
import type { Principal } from "../auth.js";

/** What every procedure sees; one factory serves HTTP and websocket requests. */
export interface TrpcContext {
  principal: Principal | null;
  fleet: FleetStore;
}

const t = initTRPC.context<TrpcContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;

/** Every data procedure needs a principal (bearer token or session cookie). */
export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "log in first" });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});
