import { constants } from "node:os";

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

/** "EPERM" for 1, and so on; the number itself when the name is unknown. */
export const errnoName = (errno: number): string => ERRNO_NAMES.get(errno) ?? String(errno);

/** One warning line for processes whose namespace links could not be read, naming a few. */
export function describeUnreadable(
  unreadable: ReadonlyArray<{ pid: number; comm: string; errno: number }>,
  euid: number,
): string[] {
  if (unreadable.length === 0) return [];
  const named = unreadable
    .slice(0, 10)
    .map((u) => `${u.pid} (${u.comm}${u.errno ? `: ${errnoName(u.errno)}` : ""})`)
    .join(", ");
  const more = unreadable.length > 10 ? ` and ${unreadable.length - 10} more` : "";
  const why = euid === 0 ? "even as root" : "not root";
  return [`namespace links unreadable for ${unreadable.length} process(es), ${why}: ${named}${more}`];
}
