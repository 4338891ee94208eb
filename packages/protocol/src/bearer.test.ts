import { describe, expect, it } from "vitest";
import { bearerSecret } from "./bearer.js";

describe("bearerSecret", () => {
  it("reads the secret after a case-insensitive Bearer scheme", () => {
    expect(bearerSecret("Bearer abc")).toBe("abc");
    expect(bearerSecret("bearer  abc ")).toBe("abc");
  });

  it("is null for a missing, empty, other-scheme or two-word header", () => {
    expect(bearerSecret(undefined)).toBeNull();
    expect(bearerSecret("")).toBeNull();
    expect(bearerSecret("Basic abc")).toBeNull();
    expect(bearerSecret("Bearer a b")).toBeNull();
    expect(bearerSecret("Bearer")).toBeNull();
  });
});
