import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ProcessEvents, ProcessSet } from "./process-set.js";

function fakeEvents(startResult: string | null): ProcessEvents & { pending: number; execs: number[] | null } {
  const e = {
    pending: 5,
    execs: [] as number[] | null,
    takeExecs: () => {
      const x = e.execs;
      e.execs = [];
      return x;
    },
    start: () => startResult,
    take: () => {
      const n = e.pending;
      e.pending = 0;
      return n;
    },
  };
  return e;
}

describe("ProcessSet", () => {
  it("uses the kernel's process events when they start, one counter read per tick", () => {
    const events = fakeEvents(null);
    const set = new ProcessSet("/proc", events);
    expect(set.fallbackReason).toBeNull();
    expect(set.changed()).toBe(false); // what came before the first scan is that scan's
    events.pending = 2;
    expect(set.changed()).toBe(true);
    expect(set.changed()).toBe(false);
  });

  it("polls the proc root when events are refused, or for another proc root", () => {
    expect(new ProcessSet("/proc", fakeEvents("EPERM")).fallbackReason).toBe("EPERM");
    expect(new ProcessSet("/proc", null).fallbackReason).toBe("no process events");
    const other = new ProcessSet("/proc/.", fakeEvents(null));
    expect(other.fallbackReason).toBe("a proc root other than /proc");
  });

  it("polling sees a user process come and go, and ignores kernel threads", () => {
    // A proc root of our own: pid directories with a stat whose flags (field 9) tell kernel threads.
    const root = mkdtempSync(join(tmpdir(), "nsatlas-process-set-"));
    try {
      const proc = (pid: number, flags: number) => {
        mkdirSync(join(root, String(pid)));
        writeFileSync(join(root, String(pid), "stat"), `${pid} (x) S 1 ${pid} ${pid} 0 -1 ${flags} 0 0\n`);
      };
      proc(1, 0x400100);
      const set = new ProcessSet(root, fakeEvents(null));
      expect(set.fallbackReason).toBe("a proc root other than /proc");
      expect(set.changed()).toBe(false);
      proc(200, 0x400100);
      expect(set.changed()).toBe(true);
      expect(set.changed()).toBe(false);
      proc(201, 0x00200040); // PF_KTHREAD: a kworker
      expect(set.changed()).toBe(false);
      rmSync(join(root, "200"), { recursive: true });
      expect(set.changed()).toBe(true);
      rmSync(join(root, "201"), { recursive: true });
      expect(set.changed()).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("lets a scan reuse argv of every previous process but those that exec'd", () => {
    const events = fakeEvents(null);
    const set = new ProcessSet("/proc", events);
    const previous = [{ pid: 1 }, { pid: 5 }, { pid: 9 }];
    events.execs = [5];
    set.changed();
    expect(set.reusable(previous)?.map((p) => p.pid)).toEqual([1, 9]);
    expect(set.reusable(previous)?.map((p) => p.pid)).toEqual([1, 5, 9]);
    events.execs = null; // more execs than the kernel side could keep
    expect(set.reusable(previous)).toBeUndefined();
    expect(new ProcessSet("/proc", null).reusable(previous)).toBeUndefined();
  });
});
