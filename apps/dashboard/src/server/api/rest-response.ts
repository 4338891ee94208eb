import type { IncomingMessage } from "node:http";
import { HttpError } from "../http-error.js";

/** A REST answer other than 200 + JSON (e.g. 204 with a Set-Cookie header, a CSV file). A
 * string body is sent as it is (give it a content-type), a Readable is streamed (with
 * backpressure); anything else is sent as JSON. */
export class RestResponse {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string | string[]> = {},
    readonly body: unknown = undefined,
  ) {}
}

/** Reads a JSON request body of at most maxBytes; 413 beyond, 400 on anything but JSON. */
export async function readJsonBody(req: IncomingMessage, maxBytes = 256 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, "TOO_LARGE", `request body over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "BAD_JSON", "request body is not JSON");
  }
}
