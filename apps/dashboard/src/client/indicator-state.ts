export type Shown = { tone: "live" | "stale" | "down"; word: string; title: string };

/** What the dot says: the page's live socket, and on a host's pages that host too — a host
 * whose agent stopped reporting is shown stale (amber), never green. */
export function indicatorState(
  live: boolean,
  hostState: "connected" | "stale" | null,
  ago: number | null,
  lagMs: number | null,
): Shown {
  if (!live) return { tone: "down", word: "reconnecting", title: "live updates are reconnecting" };
  if (hostState === "stale")
    return {
      tone: "stale",
      word: "host stale",
      title: "this host's agent is not reporting: its last inventory is shown",
    };
  return {
    tone: "live",
    word: `live${lagMs !== null ? ` · ${lagMs} ms` : ""}`,
    title: `last event ${ago ?? "?"} s ago, lag ${lagMs ?? "?"} ms`,
  };
}
