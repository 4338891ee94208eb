import { readFileSync } from "node:fs";
import type { Process } from "@nsatlas/protocol";
import { namespaceId } from "@nsatlas/protocol/ids";
import type { NamespaceTable } from "./namespace-table.js";
import { type MountEntry, parseMountinfo } from "./parse/mountinfo.js";
import { parseNsLink } from "./parse/ns-link.js";

export interface BindMountResult {
  /** Mount namespaces whose mountinfo was read, and through which pid. */
  readFrom: Map<number, number>;
  /** Every mount of each mount namespace read, in mountinfo order. */
  mounts: Map<number, MountEntry[]>;
  warnings: string[];
}

/** Registers namespaces kept alive by an nsfs bind mount in ANY mount namespace (`ip netns
 * add` pins on /run/netns/NAME, but a pin can sit anywhere, in any mount namespace).
 * Each mount namespace's mountinfo is read once, through the first process in it that
 * still exists; mount points are as that process sees them. */
export function fromBindMounts(
  processes: readonly Process[],
  table: NamespaceTable,
  procRoot: string,
  initialMntNs: number | undefined,
  /** Mount namespaces whose every mount is wanted (the scanner's own, to see shadowed names);
   * of the others only nsfs mounts are parsed. */
  fullMountsOf: ReadonlySet<number> = new Set(),
): BindMountResult {
  const byMntNs = new Map<number, number[]>();
  for (const p of processes) {
    if (p.ns.mnt === null) continue; // a zombie: it has left its mount namespace
    const list = byMntNs.get(p.ns.mnt);
    if (list) list.push(p.pid);
    else byMntNs.set(p.ns.mnt, [p.pid]);
  }
  // The initial mount namespace first, so that a pin seen there is credited to it.
  const order = [...byMntNs.keys()].sort((a, b) => (a === initialMntNs ? -1 : b === initialMntNs ? 1 : a - b));
  const result: BindMountResult = { readFrom: new Map(), mounts: new Map(), warnings: [] };
  const seen = new Set<string>();
  for (const mntNs of order) {
    const text = readMountinfo(byMntNs.get(mntNs) ?? [], procRoot, mntNs, result);
    if (text === null) continue;
    const via = result.readFrom.get(mntNs);
    // A host with many mount namespaces (a container each) has hundreds of mountinfo files
    // of mostly the same mounts: only the nsfs lines matter there, so skip parsing the rest.
    const { entries, errors } = parseMountinfo(fullMountsOf.has(mntNs) ? text : nsfsLines(text));
    if (fullMountsOf.has(mntNs)) result.mounts.set(mntNs, entries);
    for (const e of errors) result.warnings.push(`mnt:${mntNs}: ${e.message}`);
    for (const m of entries) {
      if (m.fsType !== "nsfs") continue;
      const ns = parseNsLink(m.root);
      if (!ns) continue;
      // Mount propagation copies /run/netns/* into every child mount namespace; one pin path
      // per namespace is the fact that matters, the first mount namespace that shows it names it.
      const key = `${ns.type}:${ns.inode}:${m.mountPoint}`;
      // /proc/<pid>/root resolves paths inside that process's mount namespace and root.
      const openPath = `${procRoot}/${via}/root${m.mountPoint}`;
      if (seen.has(key)) {
        // The same pin seen from another mount namespace: a way in should a later mount
        // cover it where it was seen first.
        const entry = table.get(ns.type, ns.inode);
        if (entry && entry.morePaths.length < 4) entry.morePaths.push(openPath);
        continue;
      }
      seen.add(key);
      table
        .ensure(ns.type, ns.inode, openPath)
        .holders.push({ kind: "bindmount", path: m.mountPoint, mountNs: namespaceId("mnt", mntNs) });
    }
  }
  return result;
}

/** The lines of a mountinfo text whose filesystem type is nsfs (cheap substring test). */
function nsfsLines(text: string): string {
  if (!text.includes(" - nsfs ")) return "";
  return text
    .split("\n")
    .filter((l) => l.includes(" - nsfs "))
    .join("\n");
}

function readMountinfo(pids: number[], procRoot: string, mntNs: number, result: BindMountResult): string | null {
  for (const pid of pids) {
    try {
      const text = readFileSync(`${procRoot}/${pid}/mountinfo`, "utf8");
      result.readFrom.set(mntNs, pid);
      return text;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOENT/ESRCH: that process exited since the walk; try another one in the namespace.
      if (code === "ENOENT" || code === "ESRCH") continue;
      result.warnings.push(`mnt:${mntNs}: cannot read mountinfo of pid ${pid}: ${code ?? err}`);
      return null;
    }
  }
  if (pids.length > 0) result.warnings.push(`mnt:${mntNs}: every process left before its mountinfo was read`);
  return null;
}
