"use client";
import { useSyncExternalStore } from "react";

// The hosts whose inventories this tab shows, counted by the components that show them: the
// live subscription follows exactly these (and every host's summary when there are none).

const counts = new Map<string, number>();
const listeners = new Set<() => void>();
let shown: readonly string[] = [];

function changed(): void {
  shown = [...counts.keys()].sort();
  for (const l of listeners) l();
}

/** Marks a host shown until the returned function is called (an effect's cleanup). */
export function retainHost(hostId: string): () => void {
  counts.set(hostId, (counts.get(hostId) ?? 0) + 1);
  if (counts.get(hostId) === 1) changed();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (counts.get(hostId) ?? 1) - 1;
    if (n > 0) counts.set(hostId, n);
    else {
      counts.delete(hostId);
      changed();
    }
  };
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const none: readonly string[] = [];

/** The shown hosts, sorted (the same array until the set changes). */
export function useShownHosts(): readonly string[] {
  return useSyncExternalStore(
    subscribe,
    () => shown,
    () => none,
  );
}
