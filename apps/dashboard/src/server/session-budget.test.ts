import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_FRAME_BURST, SESSION_FRAMES_PER_SECOND, sessionBudget } from "./session-budget.js";

afterEach(() => vi.useRealTimers());

describe("sessionBudget", () => {
  it("pauses a session that sent more than its burst and resumes it once a frame's worth refilled", () => {
    vi.useFakeTimers();
    const now = 0;
    const calls: string[] = [];
    const budget = sessionBudget({ pause: () => calls.push("pause"), resume: () => calls.push("resume") }, () => now);
    for (let i = 0; i < SESSION_FRAME_BURST; i++) budget.charge();
    expect(calls).toEqual([]);
    budget.charge(); // one over the burst
    expect(calls).toEqual(["pause"]);
    budget.charge(); // a frame still buffered in the receiver: no second pause
    expect(calls).toEqual(["pause"]);
    vi.advanceTimersByTime(1000 / SESSION_FRAMES_PER_SECOND - 1);
    expect(calls).toEqual(["pause"]);
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(["pause", "resume"]);
  });

  it("never pauses a session that stays within its rate (a real agent's deltas and heartbeats)", () => {
    let now = 0;
    const budget = sessionBudget({ pause: () => expect.unreachable(), resume() {} }, () => now);
    for (let i = 0; i < 10_000; i++) {
      now += 1000 / SESSION_FRAMES_PER_SECOND;
      budget.charge();
    }
    expect(budget.paused).toBe(false);
  });
});
