"use client";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useConnection } from "./connection-state";
import { indicatorState } from "./indicator-state";
import { useTRPC } from "./trpc";

const DOT = { live: "bg-emerald-500", stale: "bg-amber-500", down: "bg-amber-500 animate-pulse" } as const;

/** A dot and a word: live (with the lag of the last event), host stale, or reconnecting;
 * compact (on a phone): the dot alone, the word for screen readers. */
export function ConnectionIndicator({ compact = false }: { compact?: boolean }) {
  const { live, lagMs, lastEventAt } = useConnection();
  const params = useParams<{ id?: string }>();
  const hostId = params.id ? decodeURIComponent(params.id) : null;
  const trpc = useTRPC();
  // The host's own inventory query (shared with its views, so no extra request) carries its state.
  const host = useQuery({ ...trpc.hosts.inventory.queryOptions({ id: hostId ?? "" }), enabled: hostId !== null });
  const hostState = hostId ? (host.data?.summary.state ?? null) : null;
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1_000);
    return () => clearInterval(t);
  }, []);
  const ago = lastEventAt ? Math.round((Date.now() - lastEventAt) / 1000) : null;
  const shown = indicatorState(live, hostState, ago, lagMs);
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs whitespace-nowrap text-slate-700 dark:text-slate-300"
      data-testid="connection"
      data-live={live}
      data-state={shown.tone}
      title={shown.title}
    >
      <span className={`h-2 w-2 rounded-full ${DOT[shown.tone]}`} />
      <span className={compact ? "sr-only" : ""}>{shown.word}</span>
    </span>
  );
}
