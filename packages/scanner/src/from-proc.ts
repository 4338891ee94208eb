import { NS_LINK_NAMES, type RawProcess } from "@nsatlas/native";
import type { NamespaceType, Process } from "@nsatlas/protocol";
import { ProcParseError } from "./errors.js";
import type { NamespaceTable } from "./namespace-table.js";
import { parseContainerHint } from "./parse/cgroup.js";
import { parseCmdline } from "./parse/cmdline.js";
import { parseNspid } from "./parse/nspid.js";
import { parseStat } from "./parse/stat.js";

/** Namespace type of each native slot: the *_for_children links count as their base type. */
export const SLOT_TYPES: readonly NamespaceType[] = NS_LINK_NAMES.map(
  (name) => name.replace("_for_children", "") as NamespaceType,
);
const slot = (name: (typeof NS_LINK_NAMES)[number]) => NS_LINK_NAMES.indexOf(name);

/** Container hints by cgroup text: most processes share a handful of cgroups, and the
 * regular expressions are the costly part. */
const hintCache = new Map<string, ReturnType<typeof parseContainerHint>>();
function containerHint(cgroup: string | null): ReturnType<typeof parseContainerHint> {
  if (cgroup === null) return null;
  let hint = hintCache.get(cgroup);
  if (hint === undefined) {
    hint = parseContainerHint(cgroup);
    if (hintCache.size > 10_000) hintCache.clear();
    hintCache.set(cgroup, hint);
  }
  return hint;
}

export interface ProcContext {
  procRoot: string;
  users: ReadonlyMap<number, string>;
  /** Where argv and container hint come from for records the walk marked `reused`. */
  previous?: ReadonlyMap<number, Process>;
}

export interface ProcResult {
  processes: Process[];
  /** Live processes whose namespace links could not be read (EACCES even as root). */
  unreadable: Array<{ pid: number; comm: string; errno: number }>;
  malformed: string[];
}

/** Turns raw process reads into protocol processes and registers each as a holder of its
 * eight namespaces (and of its for-children namespaces when they differ). */
export function fromProc(raw: readonly RawProcess[], table: NamespaceTable, ctx: ProcContext): ProcResult {
  const result: ProcResult = { processes: [], unreadable: [], malformed: [] };
  for (const r of raw) {
    let stat: ReturnType<typeof parseStat>;
    let nspid: number[];
    try {
      stat = parseStat(r.stat);
      nspid = r.nspid === null ? [r.pid] : parseNspid(r.nspid);
    } catch (err) {
      if (!(err instanceof ProcParseError)) throw err;
      result.malformed.push(`pid ${r.pid}: ${err.message}`);
      continue;
    }
    // A denied link (EACCES) exists but is hidden from us; an absent one (0 without an errno)
    // is one the kernel no longer serves, and the process is listed without it.
    if (r.nsErrno !== 0) {
      result.unreadable.push({ pid: r.pid, comm: stat.comm, errno: r.nsErrno });
      continue;
    }
    const inode = (name: (typeof NS_LINK_NAMES)[number]) => r.ns[slot(name)] || null;
    // The same process as in the previous scan (the walk matched pid and start time).
    const reused = r.reused ? ctx.previous?.get(r.pid) : undefined;
    const process: Process = {
      pid: r.pid,
      ppid: stat.ppid,
      comm: stat.comm,
      cmdline: reused ? reused.cmdline : parseCmdline(r.cmdline),
      uid: r.uid,
      user: ctx.users.get(r.uid) ?? null,
      startTime: stat.startTime,
      nspid,
      container: reused ? reused.container : containerHint(r.cgroup),
      ns: {
        cgroup: inode("cgroup"),
        ipc: inode("ipc"),
        mnt: inode("mnt"),
        net: inode("net"),
        pid: inode("pid"),
        time: inode("time"),
        user: inode("user"),
        uts: inode("uts"),
      },
      nsForChildren: { pid: inode("pid_for_children"), time: inode("time_for_children") },
      state: stat.state,
    };
    result.processes.push(process);
    for (const [type, ino] of Object.entries(process.ns) as Array<[NamespaceType, number | null]>) {
      if (ino === null) continue;
      const entry = table.ensure(type, ino, `${ctx.procRoot}/${r.pid}/ns/${type}`);
      entry.pids.push(r.pid);
      entry.holders.push({ kind: "process", pid: r.pid });
    }
    for (const type of ["pid", "time"] as const) {
      const child = process.nsForChildren[type];
      if (child === null || child === process.ns[type]) continue;
      const link = type === "pid" ? "pid_for_children" : "time_for_children";
      table.ensure(type, child, `${ctx.procRoot}/${r.pid}/ns/${link}`).holders.push({ kind: "children", pid: r.pid });
    }
  }
  return result;
}
