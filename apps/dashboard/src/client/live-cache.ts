import type { HostSummary, Inventory } from "@nsatlas/protocol";
import { applyChanges } from "@nsatlas/protocol/change-codec";
import type { QueryClient, QueryKey } from "@tanstack/react-query";
import type { LiveEvent } from "../server/trpc/routers/live";

/** What the tab keeps per shown host (the `hosts.inventory` query's data). */
export interface HostView {
  summary: HostSummary;
  inventory: Inventory | null;
  epoch: string | null;
  seq: number;
}

export interface LiveKeys {
  inventory: (hostId: string) => QueryKey;
  list: () => QueryKey;
}

/** The tracked id to resume a host from, when the tab holds its inventory (see live.events). */
export function resumeId(queryClient: QueryClient, keys: LiveKeys, hostIds: readonly string[]): string | undefined {
  for (const id of hostIds) {
    const view = queryClient.getQueryData<HostView>(keys.inventory(id));
    if (view?.inventory && view.epoch !== null) return `${id}/${view.epoch}/${view.seq}`;
  }
  return undefined;
}

/** Applies one live event to the query cache: a change to the host's inventory (with the
 * codec the hub uses), a snapshot in place of it, a summary into the hosts list. A change
 * that does not follow what the tab holds (never expected) refetches that host. */
export function applyLiveEvent(queryClient: QueryClient, keys: LiveKeys, e: LiveEvent): void {
  const key = keys.inventory(e.hostId);
  const view = queryClient.getQueryData<HostView>(key);
  switch (e.kind) {
    case "changes": {
      if (!view) return; // not shown any more
      if (view.epoch === e.epoch && e.seq <= view.seq) return; // already in what the tab holds
      if (view.inventory && view.epoch === e.epoch && view.seq === e.baseSeq) {
        const inventory = applyChanges(view.inventory, e.changes);
        queryClient.setQueryData<HostView>(key, { ...view, summary: e.summary, inventory, seq: e.seq });
      } else void queryClient.invalidateQueries({ queryKey: key }, { cancelRefetch: false });
      return;
    }
    case "snapshot":
      queryClient.setQueryData<HostView>(key, {
        summary: e.summary,
        inventory: e.inventory,
        epoch: e.epoch,
        seq: e.seq,
      });
      return;
    case "summary": {
      if (view) queryClient.setQueryData<HostView>(key, { ...view, summary: e.summary });
      // hosts.list answers {hosts} (the REST shape of GET /api/v1/hosts).
      const list = queryClient.getQueryData<{ hosts: HostSummary[] }>(keys.list());
      if (!list) return;
      if (list.hosts.some((h) => h.id === e.hostId))
        queryClient.setQueryData<{ hosts: HostSummary[] }>(keys.list(), {
          ...list,
          hosts: list.hosts.map((h) => (h.id === e.hostId ? e.summary : h)),
        });
      else void queryClient.invalidateQueries({ queryKey: keys.list() });
      return;
    }
    case "removed":
      void queryClient.invalidateQueries({ queryKey: keys.list() });
      void queryClient.invalidateQueries({ queryKey: key });
      return;
  }
}
