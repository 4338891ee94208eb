import type { NamespaceType, Process } from "@nsatlas/protocol";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";

export interface MatrixCell {
  /** null: the kernel no longer serves this link (a zombie's). */
  inode: number | null;
  /** Equal namespaces of a column share a colour index; -1 for the initial namespace. */
  colour: number;
}

export interface ShareMatrix {
  types: readonly NamespaceType[];
  rows: Array<{ pid: number; comm: string; cells: MatrixCell[] }>;
}

/** Processes × namespace types; in each column, processes in the same namespace share a
 * colour, and the initial namespace of that type is marked -1 (drawn neutral). */
export function shareMatrix(processes: readonly Process[], initial: ReadonlyMap<NamespaceType, number>): ShareMatrix {
  // Colours count per column, so that every column starts from the same palette.
  const colours = new Map<NamespaceType, Map<number, number>>();
  const colourOf = (type: NamespaceType, inode: number | null) => {
    if (inode === null || initial.get(type) === inode) return -1;
    let column = colours.get(type);
    if (!column) {
      column = new Map();
      colours.set(type, column);
    }
    let c = column.get(inode);
    if (c === undefined) {
      c = column.size;
      column.set(inode, c);
    }
    return c;
  };
  return {
    types: NAMESPACE_TYPES,
    rows: processes.map((p) => ({
      pid: p.pid,
      comm: p.comm,
      cells: NAMESPACE_TYPES.map((t) => ({ inode: p.ns[t], colour: colourOf(t, p.ns[t]) })),
    })),
  };
}

/** Who else shares each of a process's eight namespaces (pids, without the process itself). */
export function sharers(p: Process, all: readonly Process[]): Record<NamespaceType, number[]> {
  const out = {} as Record<NamespaceType, number[]>;
  for (const t of NAMESPACE_TYPES)
    out[t] = all.filter((o) => o.pid !== p.pid && p.ns[t] !== null && o.ns[t] === p.ns[t]).map((o) => o.pid);
  return out;
}
