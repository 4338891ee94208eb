// Which lines lsns prints, in which order and under which parent: one line per namespace
// (or per process with a `<namespace>` operand), parented by process, owner or parent.
import type { Namespace, Process } from "@nsatlas/protocol";
import { cellText, firstProcess, type LsnsData } from "./lsns-cells.js";
import { columnAt, columnIndex } from "./lsns-columns.js";
import type { LsnsOptions } from "./lsns-options.js";
import { evaluateFilter } from "./scols-filter.js";
import { addLine, removeLine, type ScolsLine, type ScolsTable } from "./scols-print.js";

function newTable(o: LsnsOptions): ScolsTable {
  return {
    name: "namespaces",
    columns: o.columns.map((i) => {
      const c = columnAt(i);
      const treeByProcess = o.tree === "process" && c.name === "COMMAND";
      const treeByNs = (o.tree === "owner" || o.tree === "parent") && c.name === "NS";
      return {
        name: c.name,
        whint: c.whint,
        right: c.right && !treeByNs,
        trunc: c.trunc && !o.noTruncate,
        wrap: c.wrap && !o.noWrap,
        json: c.json,
        tree: treeByProcess || treeByNs,
      };
    }),
    lines: [],
  };
}

class LineBuilder {
  readonly table: ScolsTable;
  readonly #procLine = new Map<number, ScolsLine>();
  readonly #nsLine = new Map<string, ScolsLine>();

  constructor(
    private readonly d: LsnsData,
    private readonly o: LsnsOptions,
  ) {
    this.table = newTable(o);
  }

  /** The owner or parent; one of a type -t left out still counts (lsns shows it as a row
   * without processes, as it does for an ancestor no process is in). */
  #related(ns: Namespace, rel: "owner" | "parent"): Namespace | undefined {
    const id = rel === "owner" ? ns.owner : ns.parent;
    return id ? (this.d.byId.get(id) ?? this.d.all.get(id)) : undefined;
  }

  #passes(ns: Namespace, proc: Process | undefined): boolean {
    const filter = this.o.filter;
    if (!filter) return true;
    return evaluateFilter(filter, (name) => {
      const col = columnIndex(name);
      return { text: cellText(this.d, col, ns, proc), type: columnAt(col).json };
    });
  }

  /** Adds the line of ns (shown with proc); a line the filter refuses is not kept. */
  add(ns: Namespace, proc: Process | undefined): void {
    const tree = this.o.tree;
    const parentProc = proc ? this.d.procs.get(proc.ppid) : undefined;
    const owner = this.#related(ns, "owner");
    const parentNs = this.#related(ns, "parent");
    let parent: ScolsLine | null = null;
    if (tree === "process" && parentProc) parent = this.#procLine.get(parentProc.pid) ?? null;
    else if (tree === "parent" && parentNs) parent = this.#nsLine.get(parentNs.id) ?? null;
    else if (tree === "owner" && owner) parent = this.#nsLine.get(owner.id) ?? null;
    const cells = this.o.columns.map((c) => cellText(this.d, c, ns, proc));
    const line = addLine(this.table, cells, parent);
    if (!this.#passes(ns, proc)) {
      removeLine(this.table, line);
      return;
    }
    if (tree === "owner" || tree === "parent") this.#nsLine.set(ns.id, line);
    else if (proc) this.#procLine.set(proc.pid, line);
  }

  /** A namespace line, after the line of the namespace it hangs under (lsns's show_namespace). */
  showNamespace(ns: Namespace): void {
    const tree = this.o.tree;
    const owner = this.#related(ns, "owner");
    const parentNs = this.#related(ns, "parent");
    if (tree === "owner" && owner && !this.#nsLine.has(owner.id)) this.showNamespace(owner);
    else if (tree === "parent") {
      if (parentNs) {
        if (!this.#nsLine.has(parentNs.id)) this.showNamespace(parentNs);
      } else if (owner && !this.#nsLine.has(owner.id)) this.showNamespace(owner);
    }
    this.add(ns, firstProcess(this.d, ns));
  }

  hasNsLine(ns: Namespace): boolean {
    return this.#nsLine.has(ns.id);
  }

  /** A process line of ns, after its parent's when that is in the same namespace. */
  showProcess(ns: Namespace, proc: Process): void {
    const parent = this.d.procs.get(proc.ppid);
    if (
      this.o.tree === "process" &&
      parent &&
      !this.#procLine.has(parent.pid) &&
      parent.ns[ns.type] === proc.ns[ns.type] &&
      parent.pid !== proc.pid
    )
      this.showProcess(ns, parent);
    this.add(ns, proc);
  }

  hasProcLine(p: Process): boolean {
    return this.#procLine.has(p.pid);
  }
}

/** Owners and parents (transitively) of the listed namespaces that -t left out. */
function ghosts(d: LsnsData): Namespace[] {
  const out = new Map<string, Namespace>();
  const visit = (id: string | null | undefined) => {
    if (!id || d.byId.has(id) || out.has(id)) return;
    const ns = d.all.get(id);
    if (!ns) return;
    out.set(id, ns);
    visit(ns.owner);
    visit(ns.parent);
  };
  for (const ns of d.namespaces) {
    visit(ns.owner);
    visit(ns.parent);
  }
  return [...out.values()];
}

/** Lines of `lsns [options]`: every namespace that passes -p, -P and -Q. */
export function namespacesTable(d: LsnsData, o: LsnsOptions): ScolsTable {
  const b = new LineBuilder(d, o);
  const byTree = o.tree === "owner" || o.tree === "parent";
  const list = byTree ? [...d.namespaces, ...ghosts(d)].sort((x, y) => x.inode - y.inode) : d.namespaces;
  for (const ns of list) {
    const members = d.members.get(ns.id) ?? [];
    if (o.taskPid !== 0 && !members.some((p) => p.pid === o.taskPid)) continue;
    if (o.persistent && members.length !== 0) continue;
    if (!b.hasNsLine(ns)) b.showNamespace(ns);
  }
  return b.table;
}

/** Lines of `lsns <namespace>`: the processes of that namespace. */
export function processesTable(d: LsnsData, o: LsnsOptions, ns: Namespace): ScolsTable {
  const b = new LineBuilder(d, o);
  for (const p of d.members.get(ns.id) ?? []) if (!b.hasProcLine(p)) b.showProcess(ns, p);
  return b.table;
}
