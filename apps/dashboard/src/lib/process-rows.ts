import type { Process } from "@nsatlas/protocol";
import { isKernelThread, sortByGroup } from "./stack-cards";

/** Columns the process list sorts by; "group" is the stack cards' order (pod, container, command). */
export const PROCESS_SORT_KEYS = ["group", "pid", "ppid", "user", "command", "stack"] as const;
export type ProcessSortKey = (typeof PROCESS_SORT_KEYS)[number];

export interface ProcessQuery {
  /** Words matched against pid, command name, arguments, user, container and stack name. */
  filter: string;
  kernelThreads: boolean;
  sort: ProcessSortKey;
  descending: boolean;
}

export const commandLine = (p: Process) => p.cmdline.join(" ") || `[${p.comm}]`;

/** The stack a process lives in, by name (`net:<inode>` when the resolver has none). */
export const stackOf = (p: Process, titles: ReadonlyMap<string, string>) =>
  p.ns.net === null ? "" : (titles.get(`net:${p.ns.net}`) ?? `net:${p.ns.net}`);

function compare(key: ProcessSortKey, titles: ReadonlyMap<string, string>): (a: Process, b: Process) => number {
  switch (key) {
    case "pid":
      return (a, b) => a.pid - b.pid;
    case "ppid":
      return (a, b) => a.ppid - b.ppid || a.pid - b.pid;
    case "user":
      return (a, b) => String(a.user ?? a.uid).localeCompare(String(b.user ?? b.uid)) || a.pid - b.pid;
    case "command":
      return (a, b) => commandLine(a).localeCompare(commandLine(b)) || a.pid - b.pid;
    case "stack":
      return (a, b) => stackOf(a, titles).localeCompare(stackOf(b, titles)) || a.pid - b.pid;
    case "group":
      return () => 0;
  }
}

/** The rows of the process list: kernel threads hidden unless asked for, filtered by words
 * of the process's own identity (never by text that merely sits in its environment or its
 * stack's detail), sorted by one column. */
export function processRows(
  procs: readonly Process[],
  q: ProcessQuery,
  titles: ReadonlyMap<string, string>,
): Process[] {
  const words = q.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = procs.filter((p) => {
    if (!q.kernelThreads && isKernelThread(p)) return false;
    if (words.length === 0) return true;
    const text =
      `${p.pid} ${p.comm} ${p.cmdline.join(" ")} ${p.user ?? p.uid} ${p.container?.name ?? ""} ${stackOf(p, titles)}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const sorted = q.sort === "group" ? sortByGroup(kept) : [...kept].sort(compare(q.sort, titles));
  return q.descending ? sorted.reverse() : sorted;
}
