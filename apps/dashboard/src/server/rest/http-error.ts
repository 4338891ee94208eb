/** An HTTP error with a stable code; the router turns it into `{"error": {"code", "message"}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const notFound = (what: string) => new HttpError(404, "NOT_FOUND", `${what} not found`);
export const unauthorized = () => new HttpError(401, "UNAUTHORIZED", "missing or bad bearer token");
