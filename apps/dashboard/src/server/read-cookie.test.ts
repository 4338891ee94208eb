import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { readCookie } from "./request-auth.js";

const req = (cookie: string | undefined) => ({ headers: { cookie } }) as unknown as IncomingMessage;

describe("readCookie", () => {
  it("finds the named cookie among others, percent-decoded, the first one winning", () => {
    expect(readCookie(req("a=1; nsatlas_session=s%3Dx; b=2"), "nsatlas_session")).toBe("s=x");
    expect(readCookie(req("nsatlas_session=one;nsatlas_session=two"), "nsatlas_session")).toBe("one");
  });

  it("is null without the header or the cookie", () => {
    expect(readCookie(req(undefined), "nsatlas_session")).toBeNull();
    expect(readCookie(req("other=1"), "nsatlas_session")).toBeNull();
  });

  it("answers a malformed percent-escape with a 400, not a quiet raw value", () => {
    expect(() => readCookie(req("nsatlas_session=%"), "nsatlas_session")).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
