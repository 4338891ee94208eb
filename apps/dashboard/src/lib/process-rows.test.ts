import { describe, expect, it } from "vitest";
import { smallInventory } from "./__fixtures__/small-inventory";
import { processRows } from "./process-rows";
import { stackTitles } from "./stack-names";

describe("process rows", () => {
  const inv = smallInventory();
  const kthread = { ...inv.processes[0], pid: 2, ppid: 0, comm: "kthreadd", cmdline: [] } as (typeof inv.processes)[0];
  const worker = { ...kthread, pid: 3, ppid: 2, comm: "kworker/0:1" };
  const procs = [...inv.processes, kthread, worker];
  const titles = stackTitles(inv);
  const q = { filter: "", kernelThreads: false, sort: "pid", descending: false } as const;

  it("hides kernel threads unless asked for", () => {
    expect(processRows(procs, q, titles).map((p) => p.pid)).not.toContain(3);
    expect(processRows(procs, { ...q, kernelThreads: true }, titles).map((p) => p.pid)).toEqual(
      expect.arrayContaining([2, 3]),
    );
  });

  it("sorts by a column, both ways", () => {
    const up = processRows(procs, q, titles).map((p) => p.pid);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(processRows(procs, { ...q, descending: true }, titles).map((p) => p.pid)).toEqual([...up].reverse());
  });

  it("filters by command name, arguments and stack name, every word", () => {
    expect(processRows(procs, { ...q, filter: "nginx 21" }, titles).map((p) => p.pid)).toEqual([21]);
    const blue = processRows(procs, { ...q, filter: "blue" }, titles).map((p) => p.pid);
    expect(blue).toEqual([20, 21]);
    expect(processRows(procs, { ...q, filter: "no-such-word" }, titles)).toEqual([]);
  });
});
