import type { StackRef } from "@nsatlas/native";
import type { NamespaceEntry } from "../namespace-table.js";

export interface StackRefContext {
  procRoot: string;
  netnsDir: string;
  /** Mount namespace inode -> a pid whose /proc/<pid>/root shows that namespace's mounts. */
  readFrom: ReadonlyMap<number, number>;
  /** Sockets can be borrowed (pidfd_getfd) only from processes of our own proc root. */
  withSockets: boolean;
}

/** Paths tried per stack: enough for a holder or two to exit mid-scan. */
const MAX_PATHS = 6;

/** Every way the scan knows to open one stack: the path discovery used first, its names,
 * then its holders (a process, a thread, an fd, a pin in any mount namespace), and last the
 * sockets created in it, for stacks that nothing else keeps. The reader tries them in order
 * and checks the inode, since a pid or fd may have been reused since the walk. */
export function stackRef(entry: NamespaceEntry, ctx: StackRefContext): StackRef {
  const paths = new Set<string>();
  if (entry.openPath) paths.add(entry.openPath);
  for (const p of entry.morePaths) paths.add(p);
  for (const name of entry.names) paths.add(`${ctx.netnsDir}/${name}`);
  const sockets: number[] = [];
  for (const h of entry.holders) {
    if (h.kind === "socket") {
      if (ctx.withSockets && sockets.length < 2 * MAX_PATHS) sockets.push(h.pid, h.fd);
      continue;
    }
    if (paths.size >= MAX_PATHS) continue;
    if (h.kind === "process") paths.add(`${ctx.procRoot}/${h.pid}/ns/net`);
    else if (h.kind === "task") paths.add(`${ctx.procRoot}/${h.pid}/task/${h.tid}/ns/net`);
    else if (h.kind === "fd") paths.add(`${ctx.procRoot}/${h.pid}/fd/${h.fd}`);
    else if (h.kind === "bindmount") {
      const via = h.mountNs ? ctx.readFrom.get(Number(h.mountNs.slice(h.mountNs.indexOf(":") + 1))) : undefined;
      if (via !== undefined) paths.add(`${ctx.procRoot}/${via}/root${h.path}`);
    }
  }
  return { inode: entry.inode, paths: [...paths].slice(0, MAX_PATHS), sockets };
}
