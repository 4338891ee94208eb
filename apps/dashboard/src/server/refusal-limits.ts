import type { IncomingMessage } from "node:http";
import { type AuditInput, type AuditSink, settle } from "@nsatlas/hub";
import type { Logger } from "./logger.js";

/** Unauthenticated refusals are counted per source in windows of a minute. */
export const REFUSAL_WINDOW_MS = 60_000;
/** Failed logins a source may make per window; the next is 429 RATE_LIMITED. */
export const MAX_FAILED_LOGINS = 10;

/** The address a request comes from: its peer, or — when the peer is a trusted proxy
 * (NSATLAS_TRUSTED_PROXIES) — the nearest X-Forwarded-For hop that is not one. A client can
 * write anything into X-Forwarded-For, so only hops added by trusted proxies count. */
export function sourceAddress(req: IncomingMessage, trusted: ReadonlySet<string>): string {
  const peer = normalize(req.socket.remoteAddress ?? "?");
  if (!trusted.has(peer)) return peer;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((h) => normalize(h.trim()))
    .filter((h) => h.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted.has(hop)) return hop.slice(0, 64);
  }
  return peer;
}

/** IPv4 peers of a dual-stack socket appear as ::ffff:a.b.c.d. */
const normalize = (address: string) => (address.startsWith("::ffff:") ? address.slice(7) : address);

interface Bucket {
  row: AuditInput;
  count: number;
  firstAt: string;
  lastAt: string;
}

/** Refusals of requests without a valid credential (bad tokens on /agent, failed logins),
 * written as one audit row per source, action and reason per window with the number in
 * `params.count`: a stranger cannot grow the log faster than that. Also the per-source limit
 * of failed logins. Rows still pending are written at `close`. */
export function createRefusalLimits(
  audit: AuditSink,
  o: { trustedProxies?: readonly string[]; log: Logger; now?: () => number; windowMs?: number },
) {
  const now = o.now ?? Date.now;
  const windowMs = o.windowMs ?? REFUSAL_WINDOW_MS;
  const trusted = new Set((o.trustedProxies ?? []).map(normalize));
  const buckets = new Map<string, Bucket>();
  const failedLogins = new Map<string, { start: number; count: number }>();
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const pending = [...buckets.values()];
    buckets.clear();
    for (const b of pending) {
      const params = typeof b.row.params === "object" && b.row.params !== null ? b.row.params : {};
      try {
        settle(
          audit.append({ ...b.row, params: { ...params, count: b.count, firstAt: b.firstAt, lastAt: b.lastAt } }),
          (err) => o.log.error(`audit: cannot record ${b.count} refusals (${b.row.action}): ${err.message}`),
        );
      } catch (err) {
        o.log.error(`audit: cannot record ${b.count} refusals (${b.row.action}): ${(err as Error).message}`);
      }
    }
    // Old login windows go with the rows: the map stays as small as one window's sources.
    for (const [source, w] of failedLogins) if (now() - w.start >= windowMs) failedLogins.delete(source);
  }

  return {
    source: (req: IncomingMessage) => sourceAddress(req, trusted),

    /** Counts a refusal; its audit row (`row` with params.count) is written when the window ends. */
    record(source: string, reason: string, row: AuditInput): void {
      const key = `${source}\u0000${row.action}\u0000${reason}`;
      const at = new Date(now()).toISOString();
      const b = buckets.get(key);
      if (b) {
        b.count += 1;
        b.lastAt = at;
      } else buckets.set(key, { row: { ...row, sourceIp: source }, count: 1, firstAt: at, lastAt: at });
      if (timer === null) {
        timer = setTimeout(flush, windowMs);
        timer.unref();
      }
    },

    failedLogin(source: string): void {
      const w = failedLogins.get(source);
      if (!w || now() - w.start >= windowMs) failedLogins.set(source, { start: now(), count: 1 });
      else w.count += 1;
    },

    /** Seconds until this source may try to log in again, or 0 when it may now. */
    loginRetryAfter(source: string): number {
      const w = failedLogins.get(source);
      if (!w || w.count < MAX_FAILED_LOGINS) return 0;
      const left = w.start + windowMs - now();
      return left > 0 ? Math.ceil(left / 1000) : 0;
    },

    flush,
    close: flush,
  };
}

export type RefusalLimits = ReturnType<typeof createRefusalLimits>;
