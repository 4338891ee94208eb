import { type Action, type Inventory, type Namespace, pinOpenPath } from "@nsatlas/protocol";
import { ActionError } from "./action-error.js";
import { emptyImpact, stackDestroyedImpact } from "./impact.js";
import { type Draft, q } from "./plan-draft.js";
import { type FoundStack, findStack, stackLabel } from "./stack-lookup.js";

// Planner of netns.pin.remove: unmount one pin of a stack inside the mount namespace holding it.

/** The stack a pin refers to. A leaked stack is often held by nothing but that pin, so the
 * usual lookup (which wants a process, an fd or a pin in the initial mount namespace) would
 * find no way in: the pin itself, seen through its mount namespace, is then the way. */
function pinnedStack(inv: Inventory, ref: string, pinPath: string): FoundStack {
  const nets = inv.namespaces.filter((n) => n.type === "net");
  const ns = ref.startsWith("net:") ? nets.find((n) => n.id === ref) : undefined;
  if (!ns) return findStack(inv, ref);
  return {
    ns,
    stack: inv.netstacks?.find((s) => s.ns === ns.id) ?? null,
    target: { via: "path", path: pinPath, inode: ns.inode },
    label: stackLabel(ns, inv),
  };
}

/** A process of the mount namespace to enter it through: the lowest live pid (a zombie has
 * no mount namespace of its own any more). */
function entryPid(inv: Inventory, mnt: Namespace): number | null {
  const dead = new Set(inv.processes.filter((p) => p.state === "Z").map((p) => p.pid));
  return [...mnt.pids].sort((a, b) => a - b).find((pid) => !dead.has(pid)) ?? null;
}

export function pinRemove(inv: Inventory, a: Extract<Action, { type: "netns.pin.remove" }>): Draft {
  const { ns: ref, path, mountNs } = a.params;
  const mnt = inv.namespaces.find((n) => n.type === "mnt" && n.id === mountNs);
  if (!mnt) throw new ActionError("not-found", "NO_SUCH_MOUNT_NS", `no mount namespace ${mountNs} on this host`);
  const pid = entryPid(inv, mnt);
  if (pid === null)
    throw new ActionError(
      "conflict",
      "NO_PROCESS_IN_MOUNT_NS",
      `no live process is in ${mountNs}: nothing to enter it through (it is itself held by a pin or fd)`,
    );
  const s = pinnedStack(inv, ref, pinOpenPath(pid, path));
  const held = s.ns.holders.some((h) => h.kind === "bindmount" && h.path === path && h.mountNs === mountNs);
  if (!held) throw new ActionError("not-found", "NO_SUCH_PIN", `stack ${s.label} has no pin ${q(path)} in ${mountNs}`);
  const others = s.ns.holders.filter((h) => !(h.kind === "bindmount" && h.path === path && h.mountNs === mountNs));
  const impact = emptyImpact();
  impact.notes.push(`Unmounts ${path} inside ${mountNs}, entered through pid ${pid}; the path stays as a plain file.`);
  if (others.length > 0 || s.ns.pids.length > 0) {
    impact.notes.push(
      `The stack stays alive: ${others.length} other reference${others.length === 1 ? "" : "s"} still hold${others.length === 1 ? "s" : ""} it.`,
    );
  } else if (s.stack) {
    stackDestroyedImpact(
      impact,
      inv,
      s.stack,
      "Nothing else the agent sees holds the stack: the kernel destroys it with its links (a copy of the pin in another mount namespace would keep it; the next scan shows it).",
    );
  }
  const mount = { via: "pid" as const, pid, inode: mnt.inode };
  const pin = { via: "path" as const, path: pinOpenPath(pid, path), inode: s.ns.inode };
  return {
    summary: `Remove the pin ${path} of stack ${s.label} in ${mountNs}`,
    targets: { ns: s.target, pin, mount },
    stacks: [s],
    impact,
  };
}
