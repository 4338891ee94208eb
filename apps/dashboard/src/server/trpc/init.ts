import type { IncomingMessage } from "node:http";
import { ActionError, type FleetStore } from "@nsatlas/hub";
import { initTRPC, TRPCError } from "@trpc/server";
import type { z } from "zod";
import { admit, asApiError } from "../api/access.js";
import type { ApiServices } from "../api/api-services.js";
import type { Operation } from "../api/operation.js";
import { RestResponse } from "../api/rest-response.js";
import type { Principal } from "../auth.js";
import { HttpError } from "../http-error.js";

/** What every procedure sees; one factory serves HTTP and websocket requests. */
export interface TrpcContext {
  /** Checks the request's credential now (each call: a websocket outlives a revoked token);
   * throws an HttpError when it cannot be checked (400 malformed, 503 unavailable). */
  authenticate(): Promise<Principal | null>;
  /** Ends the transport of a credential found dead (a websocket closes with 4401). */
  unauthorized(): void;
  fleet: FleetStore;
  services: ApiServices;
  /** The HTTP request (a websocket's upgrade request). */
  req: IncomingMessage;
  /** The peer address, for the audit log. */
  sourceIp: string | null;
}

// isDev false: error bodies never carry a stack trace (they reach unauthenticated clients).
// The stable code of an API error (NAME_TAKEN, NO_SUCH_LINK, …, as REST's error.code) rides
// along as data.appCode, so a form can put a refusal next to the field it is about.
const t = initTRPC
  .context<TrpcContext>()
  .meta<{ operation?: string }>()
  .create({
    isDev: false,
    errorFormatter: ({ shape, error }) => {
      const cause = error.cause;
      const appCode = cause instanceof HttpError || cause instanceof ActionError ? cause.code : null;
      return { ...shape, data: { ...shape.data, appCode } };
    },
  });

/** tRPC's code for each status the API answers with (the REST statuses, same meaning). */
const TRPC_CODE_OF_STATUS = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
} as const satisfies Record<number, TRPCError["code"]>;

/** An API error as a tRPC error of the same meaning; anything else stays (a 500). */
function asTrpcError(err: unknown): unknown {
  const api = asApiError(err);
  if (!(api instanceof HttpError)) return api;
  const code = TRPC_CODE_OF_STATUS[api.status as keyof typeof TRPC_CODE_OF_STATUS];
  return code === undefined ? api : new TRPCError({ code, message: api.message, cause: api });
}

export const router = t.router;
export const publicProcedure = t.procedure;

/** The caller (bearer token or session cookie); the websocket of a credential found dead is
 * closed. */
const withPrincipal = t.procedure.use(async ({ ctx, next }) => {
  let principal: Principal | null;
  try {
    principal = await ctx.authenticate();
  } catch (err) {
    throw asTrpcError(err);
  }
  if (!principal) {
    ctx.unauthorized();
    throw new TRPCError({ code: "UNAUTHORIZED", message: "log in first" });
  }
  return next({ ctx: { ...ctx, principal } });
});

/** A procedure that is no operation (a subscription): a principal of a person or a script. */
export const authedProcedure = withPrincipal.use(({ ctx, next }) => {
  if (ctx.principal.role === "agent")
    throw new TRPCError({ code: "FORBIDDEN", message: "agent tokens only stream to /agent" });
  return next();
});

/** The procedure of an operation: admitted by the same gate as its REST route (`admit`:
 * mutations through the mutation guard, agent tokens refused, the audit log for its readers)
 * before its input is read, errors translated. */
function procedureOf<S extends z.ZodType, O>(op: Operation<S, O>) {
  return withPrincipal
    .meta({ operation: op.id })
    .use(({ ctx, path, next }) => {
      try {
        admit(op, ctx.principal, ctx.services, `trpc ${path}`, ctx.sourceIp);
      } catch (err) {
        throw asTrpcError(err);
      }
      return next();
    })
    .input(op.input);
}

async function run<S extends z.ZodType, O>(
  op: Operation<S, O>,
  ctx: TrpcContext & { principal: Principal },
  input: z.output<S>,
): Promise<O> {
  try {
    const output = await op.handle({
      services: ctx.services,
      input,
      principal: ctx.principal,
      sourceIp: ctx.sourceIp,
      req: ctx.req,
    });
    if (output instanceof RestResponse) throw new Error(`operation ${op.id} answers only over REST`);
    return output;
  } catch (err) {
    throw asTrpcError(err);
  }
}

/** An operation that changes nothing, as a tRPC query. */
export function queryOf<S extends z.ZodType, O>(op: Operation<S, O>) {
  if (op.mutates || !op.trpc) throw new Error(`operation ${op.id} is not a tRPC query`);
  return procedureOf(op).query(({ ctx, input }) => run(op, ctx, input as z.output<S>));
}

/** A mutation, as a tRPC mutation. */
export function mutationOf<S extends z.ZodType, O>(op: Operation<S, O>) {
  if (!op.mutates || !op.trpc) throw new Error(`operation ${op.id} is not a tRPC mutation`);
  return procedureOf(op).mutation(({ ctx, input }) => run(op, ctx, input as z.output<S>));
}
