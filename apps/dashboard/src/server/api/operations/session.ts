import { ROLES, SESSION_TTL_MS } from "@nsatlas/hub";
import { z } from "zod";
import { checkingCredentials } from "../../auth.js";
import { HttpError, unauthorized } from "../../http-error.js";
import { readCookie, SESSION_COOKIE, sameOriginRequest } from "../../request-auth.js";
import { defineOperation } from "../operation.js";
import { RestResponse, readJsonBody } from "../rest-response.js";

const Login = z.object({ token: z.string().min(1).max(512) });

function cookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

// Logging in and out is open to auditors and read-only dashboards: not mutations.

export const login = defineOperation({
  id: "session.login",
  summary: "Log in",
  description:
    "Trades a token for an HttpOnly, SameSite=Strict session cookie (12 h). Open to every valid token but an agent's; failed logins are limited per source (429).",
  access: "public",
  mutates: false,
  trpc: false,
  input: z.void(),
  output: z.undefined(),
  async handle({ services: { auth, sessions, guarded, refusals }, req, sourceIp }) {
    const audit = guarded.audit;
    // Login sets a cookie: it must come from this server's own page, never another site.
    if (req.headers.origin !== undefined && !sameOriginRequest(req)) {
      throw new HttpError(403, "FOREIGN_ORIGIN", "login from another origin is refused");
    }
    const row = { action: "session.login", sourceIp };
    const source = refusals?.source(req) ?? sourceIp ?? "?";
    const retryAfter = refusals?.loginRetryAfter(source) ?? 0;
    if (retryAfter > 0) {
      const error = "RATE_LIMITED: too many failed logins from this address";
      refusals?.record(source, "RATE_LIMITED", { ...row, actor: "(unknown token)", result: "denied", error });
      throw new HttpError(429, "RATE_LIMITED", "too many failed logins; try again later", {
        "retry-after": String(retryAfter),
      });
    }
    const parsed = Login.safeParse(await readJsonBody(req, 4096));
    if (!parsed.success) throw new HttpError(400, "BAD_REQUEST", 'expected {"token": "…"}');
    const p = await auth.principal(parsed.data.token);
    if (!p) {
      const denied = {
        ...row,
        actor: "(unknown token)",
        result: "denied",
        error: "UNAUTHORIZED: unknown or revoked token",
      };
      if (refusals) {
        refusals.failedLogin(source);
        refusals.record(source, "UNAUTHORIZED", denied);
      } else await audit.append(denied);
      throw new HttpError(401, "UNAUTHORIZED", "unknown or revoked token");
    }
    if (p.role === "agent") {
      await audit.append({
        ...row,
        actor: p.name,
        role: p.role,
        result: "denied",
        error: "FORBIDDEN: agent tokens cannot log in",
      });
      throw new HttpError(403, "FORBIDDEN", "agent tokens cannot log in");
    }
    const { secret } = await checkingCredentials(() => sessions.open(p.name, p.role));
    await audit.append({ ...row, actor: p.name, role: p.role, result: "ok" });
    return new RestResponse(204, { "set-cookie": cookie(secret, SESSION_TTL_MS / 1000) });
  },
  rest: {
    method: "POST",
    path: "/api/v1/session",
    success: 204,
    answers: "logged in",
    headers: { "Set-Cookie": `the session cookie (${SESSION_COOKIE}; HttpOnly, SameSite=Strict, 12 h)` },
    body: Login,
    errors: {
      400: 'not {"token": "…"}',
      401: "unknown or revoked token",
      403: "an agent token (FORBIDDEN), or a login from another origin (FOREIGN_ORIGIN)",
      413: "body over 4 KiB",
      429: "too many failed logins from this source (RATE_LIMITED, with Retry-After)",
    },
    input: () => undefined,
  },
});

export const logout = defineOperation({
  id: "session.logout",
  summary: "Log out",
  description: "Ends the session of the cookie (its open websockets close with it) and clears the cookie.",
  access: "public",
  mutates: false,
  trpc: false,
  input: z.void(),
  output: z.undefined(),
  async handle({ services: { sessions, sessionEnded, guarded }, req, principal, sourceIp }) {
    const secret = readCookie(req, SESSION_COOKIE);
    if (secret !== null) {
      await checkingCredentials(() => sessions.close(secret));
      sessionEnded();
    }
    if (principal) {
      await guarded.audit.append({
        action: "session.logout",
        actor: principal.name,
        role: principal.role,
        sourceIp,
        result: "ok",
      });
    }
    return new RestResponse(204, { "set-cookie": cookie("", 0) });
  },
  rest: {
    method: "DELETE",
    path: "/api/v1/session",
    success: 204,
    answers: "logged out",
    headers: { "Set-Cookie": "the session cookie, cleared" },
    input: () => undefined,
  },
});

export const whoAmI = defineOperation({
  id: "session.me",
  summary: "Who is calling",
  description: "The name and role of the credential (the UI shows it and hides what the role may not do).",
  access: "user",
  mutates: false,
  trpc: true,
  input: z.void(),
  output: z.object({ name: z.string(), role: z.enum(ROLES) }),
  handle: ({ principal }) => {
    if (!principal) throw unauthorized();
    return { name: principal.name, role: principal.role };
  },
  rest: { method: "GET", path: "/api/v1/session", answers: "the caller", input: () => undefined },
});

export const sessionOperations = [login, logout, whoAmI];
