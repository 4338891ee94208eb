import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@nsatlas/hub";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openAuditLog, scheduleCheckpoints } from "./audit-setup.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-checkpoints-"));
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe("scheduleCheckpoints", () => {
  it("signs the head every interval only when it moved, and once more at stop", () => {
    const db = openDatabase(join(dir, "nsatlas.db"));
    const audit = openAuditLog(db, dir);
    const log = { info() {}, warn() {}, error: vi.fn() };
    const schedule = scheduleCheckpoints(audit, 60_000, log);
    vi.advanceTimersByTime(60_000);
    expect(audit.checkpoints()).toHaveLength(0); // no rows yet
    audit.append({ actor: "a", action: "session.login", result: "ok" });
    vi.advanceTimersByTime(60_000);
    expect(audit.checkpoints().map((c) => c.seq)).toEqual([1]);
    vi.advanceTimersByTime(180_000);
    expect(audit.checkpoints()).toHaveLength(1); // the head did not move
    audit.append({ actor: "a", action: "session.logout", result: "ok" });
    schedule.stop();
    expect(audit.checkpoints().map((c) => c.seq)).toEqual([1, 2]);
    expect(log.error).not.toHaveBeenCalled();
    db.close();
  });
});
