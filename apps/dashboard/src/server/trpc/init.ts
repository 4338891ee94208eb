import type { ActionService, AuditStorage, FleetStore, HistoryStorage } from "@nsatlas/hub";
import type { AuditVerification } from "@nsatlas/protocol";
import { initTRPC, TRPCError } from "@trpc/server";
import type { Principal } from "../auth.js";
import type { MutationGuard } from "../mutation-guard.js";
import type { HttpError } from "../rest/http-error.js";

/** Issue 6: the mutation guard, guarded actions, audit log and history. */
export interface GuardedServices {
  guard: MutationGuard;
  actions: ActionService;
  audit: AuditStorage;
  history: HistoryStorage;
  verifyAudit: () => Promise<AuditVerification>;
}

/** What every procedure sees; one factory serves HTTP and websocket requests. */
export interface TrpcContext {
  /** Checks the request's credential now (each call: a websocket outlives a revoked token);
   * throws an HttpError when it cannot be checked (400 malformed, 503 unavailable). */
  authenticate(): Promise<Principal | null>;
  /** Ends the transport of a credential found dead (a websocket closes with 4401). */
  unauthorized(): void;
  fleet: FleetStore;
  guarded: GuardedServices;
  /** The peer address, for the audit log. */
  sourceIp: string | null;
}

// isDev false: error bodies never carry a stack trace (they reach unauthenticated clients).
const t = initTRPC.context<TrpcContext>().create({ isDev: false });

const TRPC_CODE_OF_STATUS = {
  400: "BAD_REQUEST",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
} as const satisfies Record<number, TRPCError["code"]>;

/** The principal of a call, with an HttpError from the credential check as its tRPC error. */
async function principalOf(ctx: TrpcContext): Promise<Principal | null> {
  try {
    return await ctx.authenticate();
  } catch (err) {
    const status = (err as HttpError).status as keyof typeof TRPC_CODE_OF_STATUS;
    const code = TRPC_CODE_OF_STATUS[status];
    if (code === undefined) throw err;
    throw new TRPCError({ code, message: (err as Error).message });
  }
}

export const router = t.router;
export const publicProcedure = t.procedure;

/** Every data procedure needs a principal (bearer token or session cookie). Every mutation
 * also passes the mutation guard: auditors, agent tokens and a read-only dashboard are refused
 * (403 and an audit row), whatever the procedure — a new mutation is covered without a word. */
export const authedProcedure = t.procedure.use(async ({ ctx, next, type, path }) => {
  const principal = await principalOf(ctx);
  if (!principal) {
    ctx.unauthorized();
    throw new TRPCError({ code: "UNAUTHORIZED", message: "log in first" });
  }
  // The guard refuses (and audits) every mutation of an agent token with AGENT_TOKEN.
  if (type === "mutation") {
    const denial = ctx.guarded.guard.deny(principal, `trpc ${path}`, ctx.sourceIp);
    if (denial) throw new TRPCError({ code: "FORBIDDEN", message: denial.message, cause: denial });
  }
  if (principal.role === "agent")
    throw new TRPCError({ code: "FORBIDDEN", message: "agent tokens only stream to /agent" });
  return next({ ctx: { ...ctx, principal } });
});
