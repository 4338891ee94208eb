import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { applySecurityHeaders, contentSecurityPolicy } from "./security-headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("content security policy", () => {
  const csp = directives(contentSecurityPolicy("bm9uY2U=", false));

  it("lets the wiring view run its layout worker from this origin only", () => {
    expect(csp.get("worker-src")).toEqual(["'self'"]);
  });

  it("lets image export use data: and blob: images, and nothing else from elsewhere", () => {
    expect(csp.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
  });

  it("is the header every response gets", () => {
    const headers = new Map<string, string>();
    const res = { setHeader: (k: string, v: string) => headers.set(k, v) } as unknown as ServerResponse;
    const req = { headers: {} } as IncomingMessage;
    applySecurityHeaders(req, res, false);
    const sent = directives(headers.get("content-security-policy") ?? "");
    expect(sent.get("worker-src")).toEqual(["'self'"]);
    expect(sent.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(sent.get("script-src")?.[0]).toBe("'self'");
  });
});
