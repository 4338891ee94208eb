import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_BURST_MS, SESSION_CPU_SHARE, SESSION_MAX_PAUSE_MS, sessionBudget } from "./session-budget.js";

afterEach(() => vi.useRealTimers());

describe("sessionBudget", () => {
  it("pauses a session that spent more than its burst and resumes it once the bucket refilled", () => {
    vi.useFakeTimers();
    const now = 0;
    const calls: string[] = [];
    const ws = { pause: () => calls.push("pause"), resume: () => calls.push("resume"), readyState: 1 };
    const budget = sessionBudget(ws, () => now);
    budget.charge(SESSION_BURST_MS - 1);
    expect(calls).toEqual([]);
    budget.charge(51); // 50 ms over: paused for 50 / share ms (under the longest pause)
    expect(calls).toEqual(["pause"]);
    budget.charge(10); // frames still buffered in the receiver: no second pause
    expect(calls).toEqual(["pause"]);
    vi.advanceTimersByTime(Math.min(SESSION_MAX_PAUSE_MS, 50 / SESSION_CPU_SHARE) - 1);
    expect(calls).toEqual(["pause"]);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(["pause", "resume"]);
  });

  it("never pauses a session that stays within its share", () => {
    let now = 0;
    const ws = { pause: () => expect.unreachable(), resume() {}, readyState: 1 };
    const budget = sessionBudget(ws, () => now);
    for (let i = 0; i < 10_000; i++) {
      now += 100;
      budget.charge(100 * SESSION_CPU_SHARE);
    }
    expect(budget.paused).toBe(false);
  });
});
