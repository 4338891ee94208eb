import type { IncomingMessage } from "node:http";
import type { SessionStorage, TokenStorage } from "@nsatlas/hub";
import { parseCookie } from "cookie";
import { ADMIN_ENV_PRINCIPAL, type Authenticator, bearer, checkingCredentials, type Principal } from "./auth.js";
import { decodeComponent } from "./edge.js";

export const SESSION_COOKIE = "nsatlas_session";

/** A cookie's value; 400 when it holds a malformed percent-escape (`nsatlas_session=%`). */
export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  // Values come raw (the package's own decoding hides a bad escape) and are decoded here.
  const raw = parseCookie(header, { decode: (v) => v })[name];
  return raw === undefined ? null : decodeComponent(raw, `cookie ${name}`);
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
  principal(req: IncomingMessage): Promise<Principal | null>;
}

export function createRequestAuthenticator(
  auth: Authenticator,
  sessions: SessionStorage,
  tokens: TokenStorage,
  adminTokenConfigured: boolean,
): RequestAuthenticator {
  const tokenAlive = (name: string) => (name === ADMIN_ENV_PRINCIPAL ? adminTokenConfigured : tokens.isLive(name));
  return {
    async principal(req) {
      const secret = bearer(req);
      if (secret !== null) return auth.principal(secret);
      const cookie = readCookie(req, SESSION_COOKIE);
      if (cookie === null || !sameOriginRequest(req)) return null;
      return checkingCredentials(async () => {
        const s = await sessions.lookup(cookie);
        if (!s) return null;
        // A session is only as alive as its token: revoking the token ends it.
        if (!(await tokenAlive(s.tokenName))) {
          await sessions.close(cookie);
          return null;
        }
        return { name: s.tokenName, role: s.role };
      });
    },
  };
}
