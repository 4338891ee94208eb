import type { ActionService, AuditLog, FleetStore, HistoryStore } from "@nsatlas/hub";
import type { AuditVerification } from "@nsatlas/protocol";
import { initTRPC, TRPCError } from "@trpc/server";
import type { Principal } from "../auth.js";
import type { MutationGuard } from "../mutation-guard.js";

/** Issue 6: the mutation guard, guarded actions, audit log and history. */
export interface GuardedServices {
  guard: MutationGuard;
  actions: ActionService;
  audit: AuditLog;
  history: HistoryStore;
  verifyAudit: () => Promise<AuditVerification>;
}

/** What every procedure sees; one factory serves HTTP and websocket requests. */
export interface TrpcContext {
  principal: Principal | null;
  fleet: FleetStore;
  guarded: GuardedServices;
  /** The peer address, for the audit log. */
  sourceIp: string | null;
}

const t = initTRPC.context<TrpcContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;

/** Every data procedure needs a principal (bearer token or session cookie). Every mutation
 * also passes the mutation guard: auditors, agent tokens and a read-only dashboard are refused
 * (403 and an audit row), whatever the procedure — a new mutation is covered without a word. */
export const authedProcedure = t.procedure.use(({ ctx, next, type, path }) => {
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "log in first" });
  if (ctx.principal.role === "agent")
    throw new TRPCError({ code: "FORBIDDEN", message: "agent tokens only stream to /agent" });
  if (type === "mutation") {
    const denial = ctx.guarded.guard.deny(ctx.principal, `trpc ${path}`, ctx.sourceIp);
    if (denial) throw new TRPCError({ code: "FORBIDDEN", message: denial.message, cause: denial });
  }
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});
