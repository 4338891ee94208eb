import { FD_SOCKET, NS_LINK_NAMES, type RawProcess } from "@nsatlas/native";
import { SLOT_TYPES } from "./from-proc.js";
import type { NamespaceTable } from "./namespace-table.js";

const NET_SLOT = NS_LINK_NAMES.indexOf("net");

/** Registers open file descriptors on namespaces (/proc/<pid>/fd/N -> `net:[inode]`): a
 * namespace lives while any fd on it is open, with no process inside and no name.
 * Sockets hold their stack too (a socket keeps a reference on the netns it was created in),
 * so a socket whose stack is not its process's current one is a `socket` holder. */
export function fromFds(raw: readonly RawProcess[], table: NamespaceTable, procRoot: string): void {
  for (const r of raw) {
    const ownNet = r.ns[NET_SLOT];
    for (let i = 0; i + 3 < r.fds.length; i += 4) {
      const fd = r.fds[i] as number;
      const slot = r.fds[i + 1] as number;
      const inode = r.fds[i + 2] as number;
      const netns = r.fds[i + 3] as number;
      if (slot === FD_SOCKET) {
        if (netns !== 0 && netns !== ownNet)
          table.ensure("net", netns).holders.push({ kind: "socket", pid: r.pid, fd });
        continue;
      }
      const type = SLOT_TYPES[slot];
      if (!type || inode === 0) continue;
      table.ensure(type, inode, `${procRoot}/${r.pid}/fd/${fd}`).holders.push({ kind: "fd", pid: r.pid, fd });
    }
  }
}
