import { ProcParseError } from "../errors.js";

export interface StatFields {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  numThreads: number;
  /** Field 22: start time in clock ticks after boot; tells a reused pid apart. */
  startTime: number;
}

/** Parses /proc/<pid>/stat (proc(5)). comm sits in parentheses and may itself hold ") ",
 * so the fields after it are split from the LAST ')'. */
export function parseStat(text: string): StatFields {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 1 || close < open) throw new ProcParseError("stat", "no (comm)");
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(" ");
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const state = rest[0];
  const ppid = Number(rest[1]);
  const numThreads = Number(rest[17]);
  const startTime = Number(rest[19]);
  if (!Number.isInteger(pid) || pid <= 0 || state === undefined || !/^[A-Za-z]$/.test(state)) {
    throw new ProcParseError("stat", `malformed head: ${JSON.stringify(text.slice(0, 64))}`);
  }
  for (const [name, value] of [
    ["ppid", ppid],
    ["num_threads", numThreads],
    ["starttime", startTime],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new ProcParseError("stat", `bad ${name}`);
  }
  return { pid, comm: text.slice(open + 1, close), state, ppid, numThreads, startTime };
}
