// The one duration grammar of every setting and flag (agent flags, dashboard variables):
// digits and an optional unit; a bare number is seconds. Each setting keeps its own minimum.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d)?$/;

/** What a reader of a bad duration is told the grammar is. */
export const DURATION_HINT = "an integer with an optional unit ms, s, m, h or d (a bare number is seconds)";

/** Milliseconds of "500ms", "90s", "90", "5m", "12h", "30d"; null when the text is not a
 * duration or is too large to be exact. */
export function parseDuration(text: string): number | null {
  const m = DURATION_PATTERN.exec(text);
  if (!m?.[1]) return null;
  const ms = Number(m[1]) * UNIT_MS[(m[2] ?? "s") as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : null;
}

/** A duration in the shortest exact unit, for messages: 100 → "100ms", 60000 → "1m". */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
