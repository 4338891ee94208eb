import type { IncomingMessage } from "node:http";
import { type Awaitable, type Role, sameSecret, type TokenStorage } from "@nsatlas/hub";
import { bearerSecret } from "@nsatlas/protocol";
import { unavailable } from "./http-error.js";

/** The principal name of NSATLAS_ADMIN_TOKEN, in sessions and the audit log. */
export const ADMIN_ENV_PRINCIPAL = "admin (env)";

/** Who made a request: a stored token, or the never-stored NSATLAS_ADMIN_TOKEN. */
export interface Principal {
  name: string;
  role: Role;
}

export interface Authenticator {
  /** The principal for a bearer secret, or null. */
  principal(secret: string): Promise<Principal | null>;
  /** The fleet token compares equal (agents only). */
  isFleetToken(secret: string): boolean;
}

export function createAuthenticator(
  tokens: TokenStorage,
  adminToken: string | null,
  fleetToken: string | null,
): Authenticator {
  return {
    async principal(secret) {
      if (adminToken !== null && sameSecret(secret, adminToken)) return { name: ADMIN_ENV_PRINCIPAL, role: "admin" };
      const info = await checkingCredentials(() => tokens.verify(secret));
      return info ? { name: info.name, role: info.role } : null;
    },
    isFleetToken(secret) {
      return fleetToken !== null && sameSecret(secret, fleetToken);
    },
  };
}

/** Runs a credential lookup; when the store cannot answer (database error, closed while
 * draining) the answer is 503 + Retry-After, never "unauthorized": agents treat 401/403 as
 * final, and a credential that could not be checked was not refused. */
export async function checkingCredentials<T>(lookup: () => Awaitable<T>): Promise<T> {
  try {
    return await lookup();
  } catch (err) {
    throw Object.assign(unavailable("cannot check credentials right now; retry"), { cause: err });
  }
}

/** The secret of an `Authorization: Bearer …` header, or null. */
export function bearer(req: IncomingMessage): string | null {
  return bearerSecret(req.headers.authorization);
}

/** Browsers send Origin on websockets and cross-site requests: it must be this server's.
 * Non-browser clients (agents, scripts) send none, which is allowed. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
