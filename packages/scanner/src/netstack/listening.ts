import { FD_SOCKET, type RawProcess, type RawSocket } from "@nsatlas/native";
import type { Listening } from "@nsatlas/protocol";
import { IPPROTO_TCP } from "./kernel-names.js";

/** Socket inode -> pids with an fd on it (`/proc/<pid>/fd/N -> socket:[inode]`). A socket can
 * be shared (fork, SCM_RIGHTS), so several processes may own one. */
export function socketOwners(raw: readonly RawProcess[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of raw) {
    for (let i = 0; i + 3 < r.fds.length; i += 4) {
      if (r.fds[i + 1] !== FD_SOCKET) continue;
      const inode = r.fds[i + 2] as number;
      const pids = out.get(inode);
      if (!pids) out.set(inode, [r.pid]);
      else if (!pids.includes(r.pid)) pids.push(r.pid);
    }
  }
  return out;
}

/** Listening sockets of one stack with their owners, sorted by protocol, port, address. */
export function shapeListening(raw: readonly RawSocket[], owners: ReadonlyMap<number, number[]>): Listening[] {
  const out: Listening[] = [];
  for (const s of raw) {
    if (s.address === null || s.port < 1) continue;
    out.push({
      proto: s.proto === IPPROTO_TCP ? "tcp" : "udp",
      address: s.address,
      port: s.port,
      pids: [...(owners.get(s.inode) ?? [])].sort((a, b) => a - b),
    });
  }
  return out.sort((a, b) =>
    a.proto !== b.proto
      ? a.proto < b.proto
        ? -1
        : 1
      : a.port !== b.port
        ? a.port - b.port
        : a.address < b.address
          ? -1
          : a.address > b.address
            ? 1
            : 0,
  );
}
