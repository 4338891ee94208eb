import { type AuditSink, SESSION_TTL_MS, type SessionStorage } from "@nsatlas/hub";
import { z } from "zod";
import { type Authenticator, checkingCredentials } from "../auth.js";
import type { RefusalLimits } from "../refusal-limits.js";
import { readCookie, SESSION_COOKIE, sameOriginRequest } from "../request-auth.js";
import { sourceIpOf } from "../request-meta.js";
import { HttpError } from "./http-error.js";
import { RestResponse, type Route, readJsonBody } from "./router.js";

const Login = z.object({ token: z.string().min(1).max(512) });

function cookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

/** POST /api/v1/session {"token"} -> 204 + an HttpOnly, SameSite=Strict session cookie (12 h);
 * DELETE /api/v1/session logs out. Open to every valid token, auditors included. */
export function sessionRoutes(
  auth: Authenticator,
  sessions: SessionStorage,
  audit: AuditSink | null = null,
  /** `ended`: a session was closed (its open websockets close with it); `refusals`: failed
   * logins are counted per source, aggregated in the audit log and limited (429). */
  hooks: { ended?: () => void; refusals?: RefusalLimits } = {},
): Route[] {
  return [
    {
      method: "POST",
      path: "/api/v1/session",
      public: true,
      // Logging in and out is open to auditors and read-only dashboards (issue 6).
      mutates: false,
      async handle({ req }) {
        // Login sets a cookie: it must come from this server's own page, never another site.
        if (req.headers.origin !== undefined && !sameOriginRequest(req)) {
          throw new HttpError(403, "FOREIGN_ORIGIN", "login from another origin is refused");
        }
        const login = { action: "session.login", sourceIp: sourceIpOf(req) };
        const { refusals } = hooks;
        const source = refusals?.source(req) ?? login.sourceIp ?? "?";
        const retryAfter = refusals?.loginRetryAfter(source) ?? 0;
        if (retryAfter > 0) {
          const error = "RATE_LIMITED: too many failed logins from this address";
          refusals?.record(source, "RATE_LIMITED", { ...login, actor: "(unknown token)", result: "denied", error });
          throw new HttpError(429, "RATE_LIMITED", "too many failed logins; try again later", {
            "retry-after": String(retryAfter),
          });
        }
        const parsed = Login.safeParse(await readJsonBody(req, 4096));
        if (!parsed.success) throw new HttpError(400, "BAD_REQUEST", 'expected {"token": "…"}');
        const p = await auth.principal(parsed.data.token);
        if (!p) {
          const row = {
            ...login,
            actor: "(unknown token)",
            result: "denied",
            error: "UNAUTHORIZED: unknown or revoked token",
          };
          if (refusals) {
            refusals.failedLogin(source);
            refusals.record(source, "UNAUTHORIZED", row);
          } else await audit?.append(row);
          throw new HttpError(401, "UNAUTHORIZED", "unknown or revoked token");
        }
        if (p.role === "agent") {
          await audit?.append({
            ...login,
            actor: p.name,
            role: p.role,
            result: "denied",
            error: "FORBIDDEN: agent tokens cannot log in",
          });
          throw new HttpError(403, "FORBIDDEN", "agent tokens cannot log in");
        }
        const { secret } = await checkingCredentials(() => sessions.open(p.name, p.role));
        await audit?.append({ ...login, actor: p.name, role: p.role, result: "ok" });
        return new RestResponse(204, { "set-cookie": cookie(secret, SESSION_TTL_MS / 1000) });
      },
    },
    {
      method: "DELETE",
      path: "/api/v1/session",
      public: true,
      mutates: false,
      async handle({ req, principal }) {
        const secret = readCookie(req, SESSION_COOKIE);
        if (secret !== null) {
          await checkingCredentials(() => sessions.close(secret));
          hooks.ended?.();
        }
        if (principal) {
          await audit?.append({
            action: "session.logout",
            actor: principal.name,
            role: principal.role,
            sourceIp: sourceIpOf(req),
            result: "ok",
          });
        }
        return new RestResponse(204, { "set-cookie": cookie("", 0) });
      },
    },
    {
      method: "GET",
      path: "/api/v1/session",
      handle: ({ principal }) => ({ name: principal?.name, role: principal?.role }),
    },
  ];
}
