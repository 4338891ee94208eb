import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Request header through which the custom server hands the page's nonce to Next's layout. */
export const NONCE_HEADER = "x-nonce";

/** The Content-Security-Policy of every response: scripts only from this origin or with this
 * response's nonce (Next puts it on its own inline scripts), workers only from this origin, no framing anywhere. Styles stay
 * `unsafe-inline`: React writes style attributes, and styles run no code. Dev mode needs eval
 * for Next's hot reloading. */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // The wiring view draws its PNG export through a data: image and saves blob: URLs.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The wiring view lays out in a web worker from this origin; 'strict-dynamic' would
    // otherwise apply to workers too and refuse it.
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Sets the security headers on a response and gives Next the nonce: Next reads it from the
 * request's own Content-Security-Policy header (what a proxy would set), the layout from
 * NONCE_HEADER. Whatever the client sent in those headers is replaced. */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  const nonce = randomBytes(16).toString("base64");
  const csp = contentSecurityPolicy(nonce, dev);
  res.setHeader("content-security-policy", csp);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("x-frame-options", "DENY");
  req.headers["content-security-policy"] = csp;
  req.headers[NONCE_HEADER] = nonce;
}
