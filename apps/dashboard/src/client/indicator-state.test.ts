import { describe, expect, it } from "vitest";
import { indicatorState } from "./indicator-state";

describe("the header's live dot", () => {
  it("is green only when the socket is live and the host reports", () => {
    expect(indicatorState(true, "connected", 1, 40).tone).toBe("live");
    expect(indicatorState(true, null, 1, 40).tone).toBe("live");
  });
  it("is not green for a stale host, even with the socket live", () => {
    expect(indicatorState(true, "stale", 1, 40)).toMatchObject({ tone: "stale", word: "host stale" });
  });
  it("says reconnecting when the socket is down", () => {
    expect(indicatorState(false, "connected", null, null).tone).toBe("down");
  });
});
