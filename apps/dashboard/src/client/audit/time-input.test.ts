import { describe, expect, it } from "vitest";
import { fromLocalInput, toLocalInput } from "./time-input";

describe("datetime-local values", () => {
  it("round-trip to the minute, and accept epoch ms from a URL", () => {
    const t = new Date(2026, 2, 1, 10, 7, 30).getTime();
    expect(toLocalInput(t)).toBe("2026-03-01T10:07");
    expect(fromLocalInput(toLocalInput(t))).toBe(new Date(2026, 2, 1, 10, 7).getTime());
    expect(fromLocalInput(String(t))).toBe(t);
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("yesterday")).toBeNull();
  });
});
