import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads each unit, and a bare number as seconds", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("90")).toBe(90_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("12h")).toBe(43_200_000);
    expect(parseDuration("30d")).toBe(2_592_000_000);
    expect(parseDuration("0")).toBe(0);
  });

  it("refuses signs, fractions, spaces, other units and empty text", () => {
    for (const bad of ["", "-1s", "+1s", "1.5s", " 1s", "1s ", "1 s", "1w", "s", "1S", "1ms5"]) {
      expect(parseDuration(bad), bad).toBeNull();
    }
  });

  it("accepts exactly ^\\d+(ms|s|m|h|d)?$ for any text, and never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{1,12}(ms|s|m|h|d)?$/)), (text) => {
        const ms = parseDuration(text);
        if (!/^\d+(ms|s|m|h|d)?$/.test(text)) expect(ms).toBeNull();
        else if (ms !== null) expect(Number.isSafeInteger(ms) && ms >= 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads back what formatDuration writes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
      { numRuns: 500 },
    );
  });
});
