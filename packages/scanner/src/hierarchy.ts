import type { Holder, NamespaceType } from "@nsatlas/protocol";
import { NAMESPACE_TYPES, namespaceId } from "@nsatlas/protocol/ids";
import type { DescribeNamespace } from "./from-netns-dir.js";
import type { NamespaceEntry, NamespaceTable } from "./namespace-table.js";

type Describe = () => ReturnType<DescribeNamespace>;

/** Every way to ask the kernel about one namespace: the path discovery found first, then the
 * links of its holders (a process, a thread, an fd inside or on it), then a socket created
 * in it (SIOCGSKNS), which is the one way to a stack nothing else keeps. */
function opensOf(
  entry: NamespaceEntry,
  describe: DescribeNamespace,
  describeSocket: ((pid: number, fd: number) => ReturnType<DescribeNamespace>) | undefined,
  procRoot: string | undefined,
): Describe[] {
  const paths = new Set<string>();
  if (entry.openPath !== null) paths.add(entry.openPath);
  for (const p of entry.morePaths) paths.add(p);
  for (const h of procRoot === undefined ? [] : entry.holders) {
    if (paths.size >= 4) break;
    if (h.kind === "process") paths.add(`${procRoot}/${h.pid}/ns/${entry.type}`);
    else if (h.kind === "task") paths.add(`${procRoot}/${h.pid}/task/${h.tid}/ns/${entry.type}`);
    else if (h.kind === "fd") paths.add(`${procRoot}/${h.pid}/fd/${h.fd}`);
    else if (h.kind === "children") paths.add(`${procRoot}/${h.pid}/ns/${entry.type}_for_children`);
  }
  const opens: Describe[] = [...paths].map((p) => () => describe(p));
  const socket = entry.holders.find((h): h is Extract<Holder, { kind: "socket" }> => h.kind === "socket");
  if (socket && describeSocket) opens.push(() => describeSocket(socket.pid, socket.fd));
  return opens;
}

/** Fills parent (pid and user namespaces), owning user namespace and owner uid for every
 * namespace, through the nsfs ioctls NS_GET_PARENT, NS_GET_USERNS and NS_GET_OWNER_UID
 * (ioctl_ns(2)) on a path that opens it. Ancestors that no process holds any more (a user
 * namespace kept alive only by its children) are added to the table: they exist too.
 * Returns warnings for namespaces that no path could open. */
export function resolveHierarchy(
  table: NamespaceTable,
  describe: DescribeNamespace,
  describeSocket?: (pid: number, fd: number) => ReturnType<DescribeNamespace>,
  procRoot?: string,
): string[] {
  const described = new Set<string>();
  const unresolved: string[] = [];
  // Snapshot: describing adds ancestors to the table while we walk it.
  for (const entry of [...table.entries()]) {
    const id = namespaceId(entry.type, entry.inode);
    if (described.has(id)) continue;
    const opens = opensOf(entry, describe, describeSocket, procRoot);
    if (opens.length === 0) {
      unresolved.push(id);
      continue;
    }
    let facts: ReturnType<DescribeNamespace> | null = null;
    let why = "";
    for (const open of opens) {
      try {
        const got = open();
        // A path can lead elsewhere: a pin covered by a later mount on the same path opens
        // whatever covers it. Only facts about this very namespace count.
        if (got[0]?.inode === entry.inode) {
          facts = got;
          break;
        }
        why = "its paths lead to other namespaces";
      } catch (err) {
        // The holder went away since discovery (process exited, fd closed): expected, not an error.
        why = String((err as NodeJS.ErrnoException).code ?? err);
      }
    }
    if (facts === null) {
      unresolved.push(`${id} (${why})`);
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
