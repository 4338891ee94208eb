import type { NsfsMount } from "@nsatlas/native";
import type { Process } from "@nsatlas/protocol";
import { namespaceId } from "@nsatlas/protocol/ids";
import { defaultMountTableReader, type MountTableReader, readMountinfoText } from "./mount-tables.js";
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
  /** How the nsfs mounts of the other mount namespaces are found (listmount, or mountinfo). */
  reader: MountTableReader = defaultMountTableReader(),
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
  reader.begin?.();
  for (const mntNs of order) {
    const pids = byMntNs.get(mntNs) ?? [];
    let nsfs: NsfsMount[];
    if (fullMountsOf.has(mntNs)) {
      const got = readMountinfoText(pids, procRoot, mntNs, result.warnings);
      if (got === null) continue;
      result.readFrom.set(mntNs, got.via);
      const { entries, errors } = parseMountinfo(got.text);
      result.mounts.set(mntNs, entries);
      for (const e of errors) result.warnings.push(`mnt:${mntNs}: ${e.message}`);
      nsfs = entries.filter((m) => m.fsType === "nsfs");
    } else {
      // A host with many mount namespaces (a container each): only the nsfs mounts matter there.
      const got = reader.read(mntNs, pids, procRoot, result.warnings);
      if (got === null) continue;
      result.readFrom.set(mntNs, got.via);
      nsfs = got.mounts;
    }
    const via = result.readFrom.get(mntNs);
    for (const m of nsfs) {
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
  reader.end?.(new Set(order));
  return result;
}
