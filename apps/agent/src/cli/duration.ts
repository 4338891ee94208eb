import { UsageError } from "./usage-error.js";

const UNITS = { ms: 1, s: 1_000, m: 60_000 } as const;

/** Parses a duration flag: an integer plus ms|s|m, at least 100 ms ("1s", "250ms", "2m"). */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d{1,9})(ms|s|m)$/.exec(text);
  if (!m) throw new UsageError(`${flag}: ${JSON.stringify(text)} is not a duration (an integer plus ms, s or m)`);
  const ms = Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
  if (ms < 100) throw new UsageError(`${flag}: must be at least 100ms`);
  return ms;
}
