import {
  type Holder,
  type Inventory,
  type Namespace,
  type NetStack,
  NSFS_PATH_PATTERN,
  resolveNamespaceName,
  STACK_ID_PATTERN,
  type StackTarget,
} from "@nsatlas/protocol";
import { ActionError } from "./action-error.js";

/** A stack of the host's inventory, with how the agent reaches it. */
export interface FoundStack {
  ns: Namespace;
  stack: NetStack | null;
  target: StackTarget;
  /** "blue", "initial" or "unnamed (4026532001)". */
  label: string;
}

/** A stack as plans and messages name it: the one resolver's name (netns name, pod, container,
 * pin path, …), as the dashboard shows it. */
export function stackLabel(ns: Namespace, inv: Inventory): string {
  if (ns.initial) return "initial";
  if (ns.names[0]) return ns.names[0];
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  const sandbox = inv.netstacks?.find((s) => s.ns === ns.id)?.sandbox;
  return resolveNamespaceName(ns, (pid) => byPid.get(pid), sandbox).name;
}

/** An nsfs path to a stack without a name, from one of its holders. Processes first (always
 * visible to an agent that shares the host's pid namespace), then threads and fds, then pins
 * in the initial mount namespace; a stack held only by a socket of another stack's process
 * has no path (the kernel gives its netns only through an ioctl on the socket). */
export function holderPath(holders: readonly Holder[], initialMnt: string | null): string | null {
  const paths = (kind: Holder["kind"]) =>
    holders
      .filter((h) => h.kind === kind)
      .map((h): string | null => {
        switch (h.kind) {
          case "process":
            return `/proc/${h.pid}/ns/net`;
          case "task":
            return `/proc/${h.pid}/task/${h.tid}/ns/net`;
          case "fd":
            return `/proc/${h.pid}/fd/${h.fd}`;
          case "bindmount":
            return h.mountNs === undefined || h.mountNs === initialMnt ? h.path : null;
          default:
            return null;
        }
      });
  for (const kind of ["process", "task", "fd", "bindmount"] as const) {
    const p = paths(kind).find((x): x is string => x !== null && NSFS_PATH_PATTERN.test(x));
    if (p) return p;
  }
  return null;
}

/** Resolves a stack reference ("initial", a name, `net:<inode>`) against an inventory. */
export function findStack(inv: Inventory, ref: string): FoundStack {
  const nets = inv.namespaces.filter((n) => n.type === "net");
  const withDetail = (ns: Namespace, target: StackTarget): FoundStack => ({
    ns,
    target,
    stack: inv.netstacks?.find((s) => s.ns === ns.id) ?? null,
    label: stackLabel(ns, inv),
  });
  if (ref === "initial") {
    const ns = nets.find((n) => n.initial);
    if (!ns) throw new ActionError("conflict", "NO_INITIAL_STACK", "the inventory does not show the initial stack");
    return withDetail(ns, { via: "initial", inode: ns.inode });
  }
  if (STACK_ID_PATTERN.test(ref)) {
    const ns = nets.find((n) => n.id === ref);
    if (!ns) throw new ActionError("not-found", "NO_SUCH_STACK", `no stack ${ref} on this host`);
    const initialMnt = inv.namespaces.find((n) => n.type === "mnt" && n.initial)?.id ?? null;
    const path = holderPath(ns.holders, initialMnt);
    if (path === null) {
      throw new ActionError(
        "conflict",
        "NO_HOLDER_PATH",
        `stack ${ref} has no holder the agent can enter (no process, fd or visible pin)`,
      );
    }
    return withDetail(ns, { via: "path", path, inode: ns.inode });
  }
  const ns = nets.find((n) => n.names.includes(ref));
  if (!ns) throw new ActionError("not-found", "NO_SUCH_STACK", `no stack named ${JSON.stringify(ref)} on this host`);
  return withDetail(ns, { via: "name", name: ref, inode: ns.inode });
}
