import type { IncomingMessage } from "node:http";
import type { AuditInput } from "@nsatlas/hub";
import { describe, expect, it } from "vitest";
import { createRefusalLimits, MAX_FAILED_LOGINS, sourceAddress } from "./refusal-limits.js";

const req = (peer: string, xff?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: xff === undefined ? {} : { "x-forwarded-for": xff },
  }) as IncomingMessage;
const quiet = { info() {}, warn() {}, error() {} };

describe("sourceAddress", () => {
  it("is the peer unless the peer is a trusted proxy", () => {
    expect(sourceAddress(req("203.0.113.5", "198.51.100.1"), new Set())).toBe("203.0.113.5");
    expect(sourceAddress(req("::ffff:10.0.0.1", "198.51.100.1"), new Set(["10.0.0.1"]))).toBe("198.51.100.1");
  });

  it("skips hops added by trusted proxies and ignores what the client wrote before them", () => {
    const trusted = new Set(["10.0.0.1", "10.0.0.2"]);
    expect(sourceAddress(req("10.0.0.1", "1.2.3.4, 198.51.100.1, 10.0.0.2"), trusted)).toBe("198.51.100.1");
    expect(sourceAddress(req("10.0.0.1"), trusted)).toBe("10.0.0.1");
  });
});

describe("createRefusalLimits", () => {
  it("writes one row per source and reason per window, with the count, and limits failed logins", () => {
    let now = 0;
    const rows: AuditInput[] = [];
    const limits = createRefusalLimits(
      {
        append: (r) => {
          rows.push(r);
          return null as never;
        },
      },
      { log: quiet, now: () => now },
    );
    const row = { actor: "(unknown token)", action: "session.login", result: "denied" };
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect(limits.loginRetryAfter("s1")).toBe(0);
      limits.failedLogin("s1");
      limits.record("s1", "UNAUTHORIZED", row);
    }
    limits.record("s2", "UNAUTHORIZED", row);
    expect(rows).toEqual([]);
    now = 15_000;
    expect(limits.loginRetryAfter("s1")).toBe(45);
    limits.flush();
    expect(rows.map((r) => [r.sourceIp, (r.params as { count: number }).count])).toEqual([
      ["s1", 10],
      ["s2", 1],
    ]);
    now = 60_000;
    expect(limits.loginRetryAfter("s1")).toBe(0);
  });
});
