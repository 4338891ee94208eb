import { ProcParseError } from "../errors.js";

/** Parses the value of the `NSpid:` status line: the pid in each nested pid namespace,
 * outermost first ("\t523\t1" -> [523, 1]). */
export function parseNspid(value: string): number[] {
  const parts = value.trim().split(/\s+/);
  const pids = parts.map(Number);
  if (parts[0] === "" || pids.some((p) => !Number.isSafeInteger(p) || p <= 0)) {
    throw new ProcParseError("status", `bad NSpid ${JSON.stringify(value.slice(0, 64))}`);
  }
  return pids;
}
