import { existsSync, readlinkSync, statSync } from "node:fs";
import type { Holder } from "@nsatlas/protocol";
import type { NamespaceEntry } from "../namespace-table.js";
import { parseNsLink } from "../parse/ns-link.js";
import type { StackRefContext } from "./stack-refs.js";

/** Whether path still leads to the nsfs inode: a /proc link that reads `net:[inode]`, or
 * (a pin, an fd opened through a pin's path) a file of that inode. */
function leadsTo(path: string, inode: number): boolean {
  try {
    const link = parseNsLink(readlinkSync(path));
    if (link) return link.inode === inode;
  } catch (err) {
    // ENOENT: the process, thread or fd is gone (expected after an exit, not an error);
    // EINVAL: not a symlink (a pin), which stat answers.
    if ((err as NodeJS.ErrnoException).code !== "EINVAL") return false;
  }
  try {
    return statSync(path).ino === inode;
  } catch {
    return false; // gone as well
  }
}

function holds(h: Holder, inode: number, ctx: StackRefContext): boolean {
  switch (h.kind) {
    case "process":
    case "children":
      return leadsTo(`${ctx.procRoot}/${h.pid}/ns/net`, inode);
    case "task":
      return leadsTo(`${ctx.procRoot}/${h.pid}/task/${h.tid}/ns/net`, inode);
    case "fd":
      return leadsTo(`${ctx.procRoot}/${h.pid}/fd/${h.fd}`, inode);
    case "socket":
      // A socket's fd reads as socket:[…], not the stack: only its presence can be seen here.
      return existsSync(`${ctx.procRoot}/${h.pid}/fd/${h.fd}`);
    case "bindmount":
      // A pin does not go away with a process; it may sit in a mount namespace we cannot see
      // from here, so it counts as held.
      return true;
  }
}

/** Whether any holder the walk found (or a name in the netns dir) still keeps this stack:
 * asked only after the stack could not be opened, to tell "gone" from "unreadable". */
export function stillHeld(entry: NamespaceEntry, ctx: StackRefContext): boolean {
  // Nothing to ask: the scan knows no holder, so it cannot say that all of them went away.
  if (entry.holders.length === 0 && entry.names.length === 0) return true;
  if (entry.names.some((name) => leadsTo(`${ctx.netnsDir}/${name}`, entry.inode))) return true;
  return entry.holders.some((h) => holds(h, entry.inode, ctx));
}
