import type { IncomingMessage } from "node:http";
import type { SessionStore, TokenStore } from "@nsatlas/hub";
import { type Authenticator, bearer, checkingCredentials, type Principal } from "./auth.js";
import { decodeComponent } from "./edge.js";

export const SESSION_COOKIE = "nsatlas_session";

/** A cookie's value; 400 when it holds a malformed percent-escape (`nsatlas_session=%`). */
export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeComponent(part.slice(eq + 1).trim(), `cookie ${name}`);
  }
  return null;
}

/** A cookie-authenticated request must come from this server's own pages: its Origin is this
 * host, or (same-origin GETs carry no Origin) the browser says Sec-Fetch-Site: same-origin. */
export function sameOriginRequest(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
  const site = req.headers["sec-fetch-site"];
  return site === "same-origin" || site === "none";
}

export interface RequestAuthenticator {
  /** Bearer token first; else the session cookie, only from this server's own origin. */
  principal(req: IncomingMessage): Principal | null;
}

export function createRequestAuthenticator(
  auth: Authenticator,
  sessions: SessionStore,
  tokens: TokenStore,
  adminTokenConfigured: boolean,
): RequestAuthenticator {
  const tokenAlive = (name: string) => (name === "admin (env)" ? adminTokenConfigured : tokens.isLive(name));
  return {
    principal(req) {
      const secret = bearer(req);
      if (secret !== null) return auth.principal(secret);
      const cookie = readCookie(req, SESSION_COOKIE);
      if (cookie === null || !sameOriginRequest(req)) return null;
      const s = checkingCredentials(() => sessions.lookup(cookie, tokenAlive));
      return s ? { name: s.tokenName, role: s.role } : null;
    },
  };
}
