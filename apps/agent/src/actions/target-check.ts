import { lstatSync, statfsSync, statSync } from "node:fs";
import type { Action, ActionTargets, MountTarget, StackTarget } from "@nsatlas/protocol";

/** statfs(2) f_type of nsfs, the filesystem of namespace files (linux/magic.h NSFS_MAGIC). */
const NSFS_MAGIC = 0x6e736673;

/** A target that is not (or no longer) the stack the plan saw. */
export class TargetRefusedError extends Error {
  readonly code = "TARGET_CHANGED";
}

export interface TargetCheckOptions {
  /** Where `ip netns` pins names (iproute2 uses /run/netns). */
  netnsDir: string;
  /** The inode of the agent's own network namespace (plain `ip` runs there). */
  ownNetInode: () => number;
}

function nsfsInode(path: string): number | null {
  try {
    if (statfsSync(path).type !== NSFS_MAGIC) return null;
    return statSync(path).ino;
  } catch {
    return null; // vanished or not readable: the caller refuses, naming the path
  }
}

function check(t: StackTarget, role: string, runsIn: boolean, o: TargetCheckOptions): void {
  if (t.via === "initial") {
    if (runsIn && t.inode !== undefined && o.ownNetInode() !== t.inode) {
      throw new TargetRefusedError(`${role}: this agent does not run in the initial stack (net:${t.inode})`);
    }
    return;
  }
  const path = t.via === "name" ? `${o.netnsDir}/${t.name}` : t.path;
  const inode = nsfsInode(path);
  if (inode === null) throw new TargetRefusedError(`${role}: ${path} is not a network namespace (gone?)`);
  if (t.inode !== undefined && inode !== t.inode) {
    throw new TargetRefusedError(`${role}: ${path} is now net:${inode}, the plan was for net:${t.inode}`);
  }
}

/** A pin removal enters a mount namespace through a pid: that pid must still live in the mount
 * namespace the plan saw (pids are reused, and a process may have moved with setns). */
function checkMount(m: MountTarget): void {
  let inode: number | null;
  try {
    inode = statSync(`/proc/${m.pid}/ns/mnt`).ino;
  } catch {
    inode = null; // the process is gone
  }
  if (inode !== m.inode)
    throw new TargetRefusedError(
      `mount: pid ${m.pid} is ${inode === null ? "gone" : `now in mnt:${inode}`}, the plan was for mnt:${m.inode}`,
    );
}

/** The netns.* actions name an existing stack by `params.name` (netns.create makes a new one):
 * the frame must carry that stack's target, with the inode the plan saw, or nothing would
 * tie the frame to a planned stack (a forged one could delete any stack or write files for
 * one that does not exist). The other actions' targets are required by actionCommand. */
function requireNameTarget(a: Action, targets: ActionTargets): void {
  if (a.type !== "netns.delete" && a.type !== "netns.file.write" && a.type !== "netns.file.delete") return;
  const t = targets.name;
  if (t?.via !== "name" || t.name !== a.params.name || t.inode === undefined)
    throw new TargetRefusedError(`name: ${a.type} needs the target of stack ${a.params.name} with its inode`);
}

/** Re-checks, against the kernel, that every stack of an action is the one the hub planned
 * with: a pin is still an nsfs file of the same inode, a holder path still leads there, and the
 * initial stack is where plain `ip` would run. Also refuses while a stack named "1" exists,
 * since iproute2 would read `netns 1` (pid 1) as that name. */
export function checkTargets(a: Action, targets: ActionTargets, o: TargetCheckOptions): void {
  requireNameTarget(a, targets);
  const runsIn = new Set(["ns", "a"]);
  if (a.type === "netns.pin.remove") {
    if (!targets.mount || !targets.pin)
      throw new TargetRefusedError("pin: a pin removal needs its pin and mount targets");
    checkMount(targets.mount);
  }
  const { mount: _mount, ...stacks } = targets;
  for (const [role, t] of Object.entries(stacks)) {
    if (!t) continue;
    // The hub always sends the inode it planned with; without it a name would be trusted blindly.
    if (t.inode === undefined) throw new TargetRefusedError(`${role}: the target carries no inode`);
    check(t, role, runsIn.has(role), o);
  }
  const usesPid1 =
    (a.type === "link.move" && targets.to?.via === "initial") ||
    (a.type === "veth.create" && targets.b?.via === "initial");
  if (usesPid1) {
    let shadowed = true;
    try {
      lstatSync(`${o.netnsDir}/1`);
    } catch {
      shadowed = false; // the normal case: no stack is named "1"
    }
    if (shadowed) throw new TargetRefusedError(`${o.netnsDir}/1 exists: iproute2 would read "netns 1" as that stack`);
  }
}
