import { describe, expect, it } from "vitest";
import { openDatabase } from "./database.js";
import { type TokenError, TokenStore } from "./token-store.js";

describe("TokenStore", () => {
  const store = () => new TokenStore(openDatabase(":memory:"));

  it("creates, verifies, lists and revokes tokens, storing only hashes", () => {
    const s = store();
    const secret = s.create("ops", "operator");
    expect(s.verify(secret)).toMatchObject({ name: "ops", role: "operator" });
    expect(s.verify(`${secret}x`)).toBeNull();
    expect(JSON.stringify(s.list())).not.toContain(secret);
    s.revoke("ops");
    expect(s.verify(secret)).toBeNull();
    expect(s.list()[0]?.revokedAt).not.toBeNull();
    // The name is free again after revocation.
    expect(s.verify(s.create("ops", "auditor"))?.role).toBe("auditor");
  });

  it("refuses bad names, bad roles and duplicates with stable codes", () => {
    const s = store();
    s.create("a", "agent");
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as TokenError).code;
      }
      return null;
    };
    expect(code(() => s.create("a", "agent"))).toBe("NAME_TAKEN");
    expect(code(() => s.create("; rm -rf /", "agent"))).toBe("BAD_NAME");
    expect(code(() => s.create("b", "root"))).toBe("BAD_ROLE");
    expect(code(() => s.revoke("nobody"))).toBe("NOT_FOUND");
  });

  it("rotates a token: the old secret stops working", () => {
    const s = store();
    const first = s.rotate("local", "agent");
    const second = s.rotate("local", "agent");
    expect(s.verify(first)).toBeNull();
    expect(s.verify(second)?.name).toBe("local");
  });
});
