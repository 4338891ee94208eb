import { readlinkSync } from "node:fs";
import { readNetstacks, type StackRef } from "@nsatlas/native";
import type { Inventory, Namespace } from "@nsatlas/protocol";

/** Paths tried per stack: enough for a holder or two to exit since the scan. */
const MAX_PATHS = 6;

function stackRefOf(ns: Namespace, inv: Inventory, procRoot: string, netnsDir: string): StackRef {
  const paths = new Set<string>();
  for (const name of ns.names) paths.add(`${netnsDir}/${name}`);
  const sockets: number[] = [];
  for (const h of ns.holders) {
    if (h.kind === "socket") {
      if (sockets.length < 2 * MAX_PATHS) sockets.push(h.pid, h.fd);
    } else if (paths.size >= MAX_PATHS) continue;
    else if (h.kind === "process") paths.add(`${procRoot}/${h.pid}/ns/net`);
    else if (h.kind === "task") paths.add(`${procRoot}/${h.pid}/task/${h.tid}/ns/net`);
    else if (h.kind === "fd") paths.add(`${procRoot}/${h.pid}/fd/${h.fd}`);
    else if (h.kind === "bindmount" && h.mountNs) {
      // The pin is a path inside its mount namespace: reach it through a process there.
      const mnt = Number(h.mountNs.slice(h.mountNs.indexOf(":") + 1));
      const via = inv.processes.find((p) => p.ns.mnt === mnt);
      if (via) paths.add(`${procRoot}/${via.pid}/root${h.path}`);
    }
  }
  return { inode: ns.inode, paths: [...paths].slice(0, MAX_PATHS), sockets };
}

function ownNetInode(procRoot: string): number {
  const m = /\[(\d+)\]/.exec(readlinkSync(`${procRoot}/self/ns/net`));
  return m ? Number(m[1]) : 0;
}

/** The nsid our own stack gives each stack (NETNSID; -1 unassigned), asked with RTM_GETNSID
 * and NETNSA_FD, which never assigns one (`ip netns list-id` shows the same numbers). Stacks
 * that could not be opened are left out. */
export function readNetnsids(
  inv: Inventory,
  stacks: readonly Namespace[],
  procRoot: string,
  netnsDir: string,
): Map<number, number> {
  const out = new Map<number, number>();
  if (stacks.length === 0) return out;
  const self: StackRef = { inode: ownNetInode(procRoot), paths: [`${procRoot}/self/ns/net`], sockets: [] };
  const refs = [self, ...stacks.map((ns) => stackRefOf(ns, inv, procRoot, netnsDir))];
  const queries = stacks.flatMap((_, i) => [0, i + 1]);
  const reply = readNetstacks({ stacks: refs, dump: false, queries, threads: 1 });
  stacks.forEach((ns, i) => {
    const nsid = reply.nsids[2 * i];
    const err = reply.nsids[2 * i + 1];
    if (err === 0 && nsid !== undefined) out.set(ns.inode, nsid);
  });
  return out;
}
