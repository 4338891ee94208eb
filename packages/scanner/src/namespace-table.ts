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
}

/** All namespaces found so far, keyed by `type:inode`; every discovery source adds to it. */
export class NamespaceTable {
  readonly #byId = new Map<string, NamespaceEntry>();

  /** The entry for type:inode, created empty on first sight. */
  ensure(type: NamespaceType, inode: number, openPath: string | null = null): NamespaceEntry {
    const id = namespaceId(type, inode);
    let entry = this.#byId.get(id);
    if (!entry) {
      entry = { type, inode, names: [], pids: [], holders: [], owner: null, parent: null, ownerUid: null, openPath };
      this.#byId.set(id, entry);
    } else if (entry.openPath === null) {
      entry.openPath = openPath;
    }
    return entry;
  }

  get(id: string): NamespaceEntry | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  entries(): IterableIterator<NamespaceEntry> {
    return this.#byId.values();
  }

  /** Protocol form, sorted by type then inode so that output is stable between scans. */
  toNamespaces(initial: ReadonlyMap<NamespaceType, number>): Namespace[] {
    const out: Namespace[] = [];
    for (const e of this.#byId.values()) {
      const ns: Namespace = {
        id: namespaceId(e.type, e.inode),
        type: e.type,
        inode: e.inode,
        initial: initial.get(e.type) === e.inode,
        names: [...e.names].sort(),
        pids: [...e.pids].sort((a, b) => a - b),
        holders: e.holders,
        owner: e.owner,
      };
      if (e.type === "pid" || e.type === "user") ns.parent = e.parent;
      if (e.type === "user" && e.ownerUid !== null) ns.ownerUid = e.ownerUid;
      out.push(ns);
    }
    return out.sort((a, b) => (a.type === b.type ? a.inode - b.inode : a.type < b.type ? -1 : 1));
  }
}
