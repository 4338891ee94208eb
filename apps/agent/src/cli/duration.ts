import { DURATION_HINT, formatDuration, parseDuration as parseDurationText } from "@nsatlas/service/duration";
import { UsageError } from "./usage-error.js";

/** The shortest period a timer flag takes: a faster tick would be a busy loop. */
const MIN_MS = 100;

/** Parses a duration flag ("1s", "250ms", "2m", "1h"; a bare number is seconds), at least 100 ms. */
export function parseDuration(flag: string, text: string): number {
  const ms = parseDurationText(text);
  if (ms === null) throw new UsageError(`${flag}: ${JSON.stringify(text)} is not a duration (${DURATION_HINT})`);
  if (ms < MIN_MS) throw new UsageError(`${flag}: must be at least ${formatDuration(MIN_MS)}`);
  return ms;
}
