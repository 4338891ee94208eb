import type { Holder, NamespaceType } from "@nsatlas/protocol";
import { NAMESPACE_TYPES, namespaceId } from "@nsatlas/protocol/ids";
import type { DescribeNamespace } from "./from-netns-dir.js";
import type { NamespaceTable } from "./namespace-table.js";

/** Fills parent (pid and user namespaces), owning user namespace and owner uid for every
 * namespace, through the nsfs ioctls NS_GET_PARENT, NS_GET_USERNS and NS_GET_OWNER_UID
 * (ioctl_ns(2)) on a path that opens it. Ancestors that no process holds any more (a user
 * namespace kept alive only by its children) are added to the table: they exist too.
 * Returns warnings for namespaces that no path could open. */
export function resolveHierarchy(
  table: NamespaceTable,
  describe: DescribeNamespace,
  describeSocket?: (pid: number, fd: number) => ReturnType<DescribeNamespace>,
): string[] {
  const described = new Set<string>();
  const unresolved: string[] = [];
  // Snapshot: describing adds ancestors to the table while we walk it.
  for (const entry of [...table.entries()]) {
    const id = namespaceId(entry.type, entry.inode);
    if (described.has(id)) continue;
    // A stack that only a socket keeps alive has no path: ask the socket (SIOCGSKNS).
    const socket = entry.holders.find((h): h is Extract<Holder, { kind: "socket" }> => h.kind === "socket");
    const path = entry.openPath;
    const open =
      path !== null
        ? () => describe(path)
        : socket && describeSocket
          ? () => describeSocket(socket.pid, socket.fd)
          : null;
    if (open === null) {
      unresolved.push(id);
      continue;
    }
    let facts: ReturnType<DescribeNamespace>;
    try {
      facts = open();
    } catch (err) {
      // The holder went away since discovery (process exited, fd closed): expected, not an error.
      unresolved.push(`${id} (${(err as NodeJS.ErrnoException).code ?? err})`);
      continue;
    }
    for (const f of facts) {
      if (!NAMESPACE_TYPES.includes(f.type as NamespaceType)) continue;
      const type = f.type as NamespaceType;
      const factId = namespaceId(type, f.inode);
      if (described.has(factId)) continue;
      described.add(factId);
      const target = table.ensure(type, f.inode);
      // EPERM from NS_GET_USERNS: the owner is outside our user namespace (or this is the root).
      target.owner = f.owner !== 0 ? namespaceId("user", f.owner) : null;
      target.parent = f.parent !== 0 && (type === "pid" || type === "user") ? namespaceId(type, f.parent) : null;
      if (type === "user" && f.ownerUid >= 0) target.ownerUid = f.ownerUid;
    }
  }
  return unresolved.length === 0
    ? []
    : [`hierarchy unknown for ${unresolved.length} namespace(s): ${unresolved.slice(0, 10).join(", ")}`];
}
