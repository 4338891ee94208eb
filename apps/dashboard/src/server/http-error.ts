/** An HTTP error with a stable code; the router turns it into `{"error": {"code", "message"}}`.
 * `headers` go out with it (e.g. Retry-After on 429 and 503). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const notFound = (what: string) => new HttpError(404, "NOT_FOUND", `${what} not found`);
export const unauthorized = () => new HttpError(401, "UNAUTHORIZED", "missing or bad bearer token");
export const badRequest = (code: string, message: string) => new HttpError(400, code, message);
/** The hub cannot check a credential now (database error, draining): try again, not "denied". */
export const unavailable = (message: string, retryAfterSeconds = 5) =>
  new HttpError(503, "UNAVAILABLE", message, { "retry-after": String(retryAfterSeconds) });
