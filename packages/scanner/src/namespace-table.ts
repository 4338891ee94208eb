import type { Holder, Namespace, NamespaceType } from "@nsatlas/protocol";
import { namespaceId } from "@nsatlas/protocol/ids";

/** A namespace as the scan assembles it; becomes a protocol Namespace at the end. */
export interface NamespaceEntry {
  type: NamespaceType;
  inode: number;
  names: string[];
  pids: number[];
  holders: Holder[];
  owner: string | null;
  parent: string | null;
  ownerUid: number | null;
  /** Some path that opens this namespace (for the nsfs ioctls), first found. */
  openPath: string | null;
  /** Further paths to try when openPath leads elsewhere (a pin covered by a later mount on
   * its path, seen uncovered from another mount namespace). */
  morePaths: string[];
}

/** Process holders first, by pid, then the others in discovery order: the order the hub
 * keeps when it re-derives membership from process changes. */
function canonicalHolders(holders: Holder[]): Holder[] {
  const procs = holders.filter((h) => h.kind === "process").sort((a, b) => a.pid - b.pid);
  return procs.length === holders.length ? procs : [...procs, ...holders.filter((h) => h.kind !== "process")];
}

/** All namespaces found so far, keyed by `type:inode`; every discovery source adds to it. */
export class NamespaceTable {
  // Keyed by type, then inode: the scan calls ensure() eight times per process, and building
  // a `type:inode` string for each call showed up in profiles.
  readonly #byType = new Map<NamespaceType, Map<number, NamespaceEntry>>();

  /** The entry for type:inode, created empty on first sight. */
  ensure(type: NamespaceType, inode: number, openPath: string | null = null): NamespaceEntry {
    let ofType = this.#byType.get(type);
    if (!ofType) {
      ofType = new Map();
      this.#byType.set(type, ofType);
    }
    let entry = ofType.get(inode);
    if (!entry) {
      entry = {
        type,
        inode,
        names: [],
        pids: [],
        holders: [],
        owner: null,
        parent: null,
        ownerUid: null,
        openPath,
        morePaths: [],
      };
      ofType.set(inode, entry);
    } else if (entry.openPath === null) {
      entry.openPath = openPath;
    }
    return entry;
  }

  /** Drops an entry (a namespace that vanished during the scan). */
  delete(type: NamespaceType, inode: number): void {
    this.#byType.get(type)?.delete(inode);
  }

  get(type: NamespaceType, inode: number): NamespaceEntry | undefined {
    return this.#byType.get(type)?.get(inode);
  }

  *entries(): IterableIterator<NamespaceEntry> {
    for (const ofType of this.#byType.values()) yield* ofType.values();
  }

  /** Protocol form, sorted by type then inode so that output is stable between scans. */
  toNamespaces(initial: ReadonlyMap<NamespaceType, number>): Namespace[] {
    const out: Namespace[] = [];
    for (const e of this.entries()) {
      const ns: Namespace = {
        id: namespaceId(e.type, e.inode),
        type: e.type,
        inode: e.inode,
        initial: initial.get(e.type) === e.inode,
        names: [...e.names].sort(),
        pids: [...e.pids].sort((a, b) => a - b),
        holders: canonicalHolders(e.holders),
        owner: e.owner,
      };
      if (e.type === "pid" || e.type === "user") ns.parent = e.parent;
      if (e.type === "user" && e.ownerUid !== null) ns.ownerUid = e.ownerUid;
      out.push(ns);
    }
    return out.sort((a, b) => (a.type === b.type ? a.inode - b.inode : a.type < b.type ? -1 : 1));
  }
}
