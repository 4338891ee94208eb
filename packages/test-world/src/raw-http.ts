import { connect } from "node:net";
import fc from "fast-check";

/** A raw HTTP answer: the status line's code, lower-cased headers, the body as text. */
export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes exactly as given over a fresh TCP connection and reads until the server closes
 * it (send `Connection: close`), or — with `headOnly` — until the status line and headers are
 * in, or until `timeoutMs` passes. Null when no HTTP answer came back. */
export function rawHttp(
  port: number,
  bytes: string | Buffer,
  o: { timeoutMs?: number; headOnly?: boolean } = {},
): Promise<RawReply | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1");
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseReply(Buffer.concat(chunks).toString("latin1")));
    };
    const timer = setTimeout(done, o.timeoutMs ?? 5_000);
    socket.on("data", (c) => {
      chunks.push(c);
      if (o.headOnly && Buffer.concat(chunks).includes("\r\n\r\n")) done();
    });
    socket.on("close", done);
    socket.on("error", done);
    socket.write(bytes);
  });
}

function parseReply(text: string): RawReply | null {
  const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(text);
  if (!m) return null;
  const end = text.indexOf("\r\n\r\n");
  const head = text.slice(m[0].length, end < 0 ? text.length : end);
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = end < 0 ? "" : text.slice(end + 4);
  return { status: Number(m[1]), headers, body: headers["transfer-encoding"] === "chunked" ? dechunk(raw) : raw };
}

/** The payload of a chunked body (as far as it arrived). */
function dechunk(raw: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const eol = raw.indexOf("\r\n", at);
    if (eol < 0) return out;
    const size = Number.parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** Strings a hostile client likes: bad percent-escapes, brackets, control bytes, long runs. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("%", "%E0%A4%A", "%zz", "%00", "[x", "http://[x/", "\u00ff\u00fe", "..%2f..", "a=b=c", ";;;", "\t"),
  fc.string({ unit: fc.constantFrom("%", "/", "[", "]", "?", "#", "=", ";", ",", "\\", "a", "\u0080"), maxLength: 30 }),
  fc.constantFrom("x".repeat(9000)),
);

/** One request as raw bytes, framed so the server can always tell where it ends (a lying
 * Content-Length would only make the server wait, which is correct behaviour). */
/** A websocket upgrade of `path` with `headers`, sent raw: the hub's refusal (a status and
 * body before any handshake) comes back as a RawReply. */
export function rawUpgrade(port: number, path: string, headers: readonly string[]): Promise<RawReply | null> {
  return rawHttp(
    port,
    [
      `GET ${path} HTTP/1.1`,
      "Host: 127.0.0.1",
      ...headers,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "",
      "",
    ].join("\r\n"),
  );
}

export function rawRequestArbitrary(paths: readonly string[], secrets: readonly string[] = []) {
  const target = fc.oneof(
    fc.constantFrom(...paths),
    fc.tuple(fc.constantFrom(...paths), nasty).map(([p, n]) => `${p}${n.replace(/[\s]/g, "")}`),
    fc.constantFrom("http://[x/", "*", "//", "/%", "/api/v1/hosts/%E0%A4%A/inventory", "http://localhost/healthz"),
    nasty.map((n) => n.replace(/[\r\n ]/g, "") || "/"),
  );
  const method = fc.constantFrom("GET", "POST", "DELETE", "PUT", "OPTIONS", "HEAD", "PATCH", "G\u00e9T", "BREW");
  const version = fc.constantFrom("HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1x");
  const header = fc.oneof(
    fc.tuple(
      fc.constantFrom("Cookie"),
      nasty.map((v) => `nsatlas_session=${v}`),
    ),
    fc.tuple(
      fc.constantFrom("Authorization"),
      fc.oneof(
        nasty,
        fc.constantFrom(...secrets, "Bearer x").map((s) => (s.startsWith("Bearer") ? s : `Bearer ${s}`)),
      ),
    ),
    fc.tuple(fc.constantFrom("Origin", "X-Forwarded-For", "Sec-Fetch-Site", "Accept", "Content-Type"), nasty),
    fc.tuple(
      nasty.map((n) => n.replace(/[\r\n:]/g, "") || "X"),
      nasty,
    ),
  );
  const upgrade = fc.constantFrom<string[]>(
    [],
    [],
    [
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    ],
    ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 8"],
    ["Upgrade: h2c", "Connection: Upgrade"],
  );
  const body = fc.oneof(
    fc.constant<{ head: string[]; bytes: string } | null>(null),
    fc.oneof(nasty, fc.json()).map((b) => ({ head: [`Content-Length: ${Buffer.byteLength(b, "latin1")}`], bytes: b })),
    fc.array(nasty, { maxLength: 4 }).map((parts) => ({
      head: ["Transfer-Encoding: chunked"],
      bytes: `${parts.map((p) => `${Buffer.byteLength(p, "latin1").toString(16)}\r\n${p}\r\n`).join("")}0\r\n\r\n`,
    })),
    // Malformed chunk framing: the parser must answer 400.
    fc.constantFrom(
      { head: ["Transfer-Encoding: chunked"], bytes: "zz\r\nabc\r\n0\r\n\r\n" },
      { head: ["Transfer-Encoding: chunked", "Content-Length: 3"], bytes: "3\r\nabc\r\n0\r\n\r\n" },
      { head: ["Transfer-Encoding: gzip, chunked"], bytes: "0\r\n\r\n" },
    ),
  );
  return fc
    .record({
      method,
      target,
      version,
      headers: fc.array(header, { maxLength: 6 }),
      upgrade,
      body,
    })
    .map((r) => {
      const lines = [
        `${r.method} ${r.target} ${r.version}`,
        "Host: 127.0.0.1",
        ...r.headers.map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, "")}`),
        ...r.upgrade,
        ...(r.body?.head ?? []),
        ...(r.upgrade.length > 0 ? [] : ["Connection: close"]),
      ];
      return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${r.body?.bytes ?? ""}`, "latin1");
    });
}

/** Fuzzes a server with raw requests (fixed run count; fast-check prints the seed and the
 * shrunk request of a failure): every request gets an HTTP answer that is not a 500, and
 * /healthz answers 200 afterwards. Throws on the first violation. */
export async function fuzzRawHttp(
  port: number,
  o: { paths: readonly string[]; secrets?: readonly string[]; numRuns: number },
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(rawRequestArbitrary(o.paths, o.secrets), async (bytes) => {
      const r = await rawHttp(port, bytes, { headOnly: true });
      if (r === null) throw new Error("no HTTP answer");
      if (r.status === 500) throw new Error("answered 500");
    }),
    { numRuns: o.numRuns },
  );
  const health = await rawHttp(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  if (health?.status !== 200) throw new Error(`/healthz answered ${health?.status ?? "nothing"} after the fuzz`);
}
