import type { HostSummary } from "@nsatlas/protocol";
import { initialStackInventory, sampleProcess } from "@nsatlas/test-world";
import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { applyLiveEvent, type HostView, type LiveKeys, resumeId } from "./live-cache";

const keys: LiveKeys = { inventory: (id) => ["inventory", id], list: () => ["list"] };
const summary = (id: string, processes: number) => ({ id, counts: { processes } }) as unknown as HostSummary;

function cached(seq = 4) {
  const queryClient = new QueryClient();
  const view: HostView = { summary: summary("h1", 2), inventory: initialStackInventory(2), epoch: "e1", seq };
  queryClient.setQueryData(keys.inventory("h1"), view);
  return { queryClient, view: () => queryClient.getQueryData<HostView>(keys.inventory("h1")) };
}
const change = (baseSeq: number, pid: number) => ({
  kind: "changes" as const,
  hostId: "h1",
  at: 0,
  epoch: "e1",
  baseSeq,
  seq: baseSeq + 1,
  summary: summary("h1", 3),
  changes: { processes: { upsert: [sampleProcess(pid)] } },
});

describe("applyLiveEvent", () => {
  it("applies a change that follows the cached position, with the codec, membership included", () => {
    const { queryClient, view } = cached();
    applyLiveEvent(queryClient, keys, change(4, 9));
    expect(view()?.seq).toBe(5);
    expect(view()?.inventory?.processes.map((p) => p.pid)).toEqual([1, 2, 9]);
    expect(view()?.inventory?.namespaces[0]?.pids).toEqual([1, 2, 9]);
    expect(view()?.summary.counts.processes).toBe(3);
    expect(resumeId(queryClient, keys, ["h1"])).toBe("h1/e1/5");
  });

  it("ignores a change it already holds and refetches on a gap", () => {
    const { queryClient, view } = cached();
    const before = view();
    applyLiveEvent(queryClient, keys, change(3, 9));
    expect(view()).toBe(before);
    applyLiveEvent(queryClient, keys, change(7, 9));
    expect(view()).toBe(before);
    expect(queryClient.getQueryState(keys.inventory("h1"))?.isInvalidated).toBe(true);
  });

  it("takes a snapshot in place of what it held, and summaries into the hosts list", () => {
    const { queryClient, view } = cached();
    applyLiveEvent(queryClient, keys, {
      kind: "snapshot",
      hostId: "h1",
      at: 0,
      epoch: "e2",
      seq: 1,
      summary: summary("h1", 1),
      inventory: initialStackInventory(1),
    });
    expect([view()?.epoch, view()?.seq, view()?.inventory?.processes.length]).toEqual(["e2", 1, 1]);
    queryClient.setQueryData(keys.list(), { hosts: [summary("h1", 1), summary("h2", 5)] });
    applyLiveEvent(queryClient, keys, { kind: "summary", hostId: "h2", at: 0, summary: summary("h2", 6) });
    expect(
      queryClient.getQueryData<{ hosts: HostSummary[] }>(keys.list())?.hosts.map((h) => h.counts.processes),
    ).toEqual([1, 6]);
    applyLiveEvent(queryClient, keys, { kind: "summary", hostId: "h3", at: 0, summary: summary("h3", 1) });
    expect(queryClient.getQueryState(keys.list())?.isInvalidated).toBe(true);
  });
});
