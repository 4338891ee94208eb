"use client";
import { useEffect, useState } from "react";
import { useConnection } from "./connection-state";

/** A dot and a word: live (with the lag of the last event) or reconnecting. */
export function ConnectionIndicator() {
  const { live, lagMs, lastEventAt } = useConnection();
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1_000);
    return () => clearInterval(t);
  }, []);
  const ago = lastEventAt ? Math.round((Date.now() - lastEventAt) / 1000) : null;
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300"
      data-testid="connection"
      data-live={live}
      title={live ? `last event ${ago ?? "?"} s ago, lag ${lagMs ?? "?"} ms` : "live updates are reconnecting"}
    >
      <span className={`h-2 w-2 rounded-full ${live ? "bg-emerald-500" : "bg-amber-500 animate-pulse"}`} />
      {live ? `live${lagMs !== null ? ` · ${lagMs} ms` : ""}` : "reconnecting"}
    </span>
  );
}
