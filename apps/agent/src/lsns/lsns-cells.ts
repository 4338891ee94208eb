import type { Finding, Holder, Inventory, Namespace, NamespaceType, Process, StackSandbox } from "@nsatlas/protocol";
import { columnAt } from "./lsns-columns.js";
import { namespaceName } from "./lsns-naming.js";

/** What the cells of one lsns run are computed from. */
export interface LsnsData {
  /** Namespaces of the requested types, by inode (lsns's order). */
  namespaces: Namespace[];
  byId: Map<string, Namespace>;
  /** Every namespace of the inventory, whatever its type: owners and parents outside -t. */
  all: Map<string, Namespace>;
  procs: Map<number, Process>;
  /** Processes of each namespace id, by pid. */
  members: Map<string, Process[]>;
  users: Map<number, string>;
  findings: Map<string, Finding[]>;
  /** Stack inode -> nsid our stack gives it (-1 unassigned); null when not read. */
  netnsids: Map<number, number> | null;
  /** Whose sandbox each stack is (engines), by stack id. */
  sandboxes: Map<string, StackSandbox | null>;
  /** What separates NSFS mount points: "\n" (a multi-line cell) or "," with --nowrap. */
  nsfsSeparator: string;
}

/** Indexes an inventory for the lsns columns; `types` null keeps every type. */
export function lsnsData(inv: Inventory, types: readonly NamespaceType[] | null): LsnsData {
  const procs = new Map(inv.processes.map((p) => [p.pid, p]));
  const namespaces = inv.namespaces
    .filter((ns) => types === null || types.includes(ns.type))
    .sort((a, b) => a.inode - b.inode);
  const members = new Map<string, Process[]>();
  for (const ns of namespaces) {
    const list: Process[] = [];
    for (const pid of ns.pids) {
      const p = procs.get(pid);
      if (p) list.push(p);
    }
    members.set(
      ns.id,
      list.sort((a, b) => a.pid - b.pid),
    );
  }
  const users = new Map<number, string>();
  for (const p of inv.processes) if (p.user !== null) users.set(p.uid, p.user);
  const findings = new Map<string, Finding[]>();
  for (const f of inv.findings) {
    if (!f.ns) continue;
    const list = findings.get(f.ns);
    if (list) list.push(f);
    else findings.set(f.ns, [f]);
  }
  return {
    namespaces,
    byId: new Map(namespaces.map((ns) => [ns.id, ns])),
    all: new Map(inv.namespaces.map((ns) => [ns.id, ns])),
    procs,
    members,
    users,
    findings,
    netnsids: null,
    sandboxes: new Map((inv.netstacks ?? []).map((st) => [st.ns, st.sandbox ?? null])),
    nsfsSeparator: "\n",
  };
}

const inodeOf = (id: string | null | undefined) => (id ? Number(id.slice(id.indexOf(":") + 1)) : 0);

/** The lowest pid of a namespace, as lsns's PID column; undefined when no process is in it. */
export function firstProcess(d: LsnsData, ns: Namespace): Process | undefined {
  return d.members.get(ns.id)?.[0];
}

function command(p: Process): string {
  return p.cmdline.length > 0 ? p.cmdline.join(" ") : p.comm;
}

/** A path that opens the namespace: the process's link as lsns prints it, else what holds it. */
function nsPath(ns: Namespace, proc: Process | undefined): string | null {
  if (proc) return `/proc/${proc.pid}/ns/${ns.type}`;
  for (const h of ns.holders) {
    if (h.kind === "bindmount") return h.path;
    if (h.kind === "fd") return `/proc/${h.pid}/fd/${h.fd}`;
    if (h.kind === "task") return `/proc/${h.pid}/task/${h.tid}/ns/${ns.type}`;
  }
  return null;
}

/** The uid lsns shows for a namespace without a process: its (owning) user namespace's creator. */
function fallbackUid(d: LsnsData, ns: Namespace): number {
  if (ns.type === "user" && ns.ownerUid !== undefined) return ns.ownerUid;
  const owner = ns.owner ? d.byId.get(ns.owner) : undefined;
  return owner?.ownerUid ?? 0;
}

const HOLDER_WORDS: Record<Holder["kind"], string> = {
  process: "proc",
  task: "thread",
  fd: "fd",
  socket: "socket",
  bindmount: "mount",
  children: "child",
};

/** `2 proc, 1 fd, 1 mount`: the references that keep the namespace alive, by kind. */
export function holdersSummary(ns: Namespace): string {
  const counts = new Map<string, number>();
  for (const h of ns.holders) counts.set(HOLDER_WORDS[h.kind], (counts.get(HOLDER_WORDS[h.kind]) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

/** Process state letter when the inventory carries one (processes[].state). */
function stateOf(p: Process): string | null {
  const state = (p as Process & { state?: unknown }).state;
  return typeof state === "string" && state !== "" ? state : null;
}

function nsState(d: LsnsData, ns: Namespace, proc: Process | undefined): string | null {
  const members = d.members.get(ns.id) ?? [];
  const states = members.map(stateOf);
  // A namespace held only by zombies is on its way out: say so rather than the first's state.
  if (members.length > 0 && states.every((s) => s === "Z")) return "Z";
  return proc ? stateOf(proc) : null;
}

function uniquePins(ns: Namespace): string[] {
  const out: string[] = [];
  for (const h of ns.holders) if (h.kind === "bindmount" && !out.includes(h.path)) out.push(h.path);
  return out;
}

/** The text of column `col` for namespace ns shown with process proc (null: an empty cell). */
export function cellText(d: LsnsData, col: number, ns: Namespace, proc: Process | undefined): string | null {
  switch (columnAt(col).name) {
    case "NS":
      return String(ns.inode);
    case "TYPE":
      return ns.type;
    case "PATH":
      return nsPath(ns, proc);
    case "NPROCS":
      return String(d.members.get(ns.id)?.length ?? 0);
    case "PID":
      return proc ? String(proc.pid) : null;
    case "PPID":
      return proc ? String(proc.ppid) : null;
    case "COMMAND":
      return proc ? command(proc) : null;
    case "UID":
      return String(proc ? proc.uid : fallbackUid(d, ns));
    case "USER": {
      const uid = proc ? proc.uid : fallbackUid(d, ns);
      return (proc?.user ?? d.users.get(uid)) || String(uid);
    }
    case "NETNSID": {
      if (ns.type !== "net") return null;
      const id = d.netnsids?.get(ns.inode);
      return id === undefined ? null : id >= 0 ? String(id) : "unassigned";
    }
    case "NSFS":
      return uniquePins(ns).join(d.nsfsSeparator) || null;
    case "PNS":
      return String(inodeOf(ns.parent));
    case "ONS":
      return String(inodeOf(ns.owner));
    case "HOLDERS":
      return holdersSummary(ns) || null;
    case "NAME":
      return namespaceName(ns, (pid) => d.procs.get(pid), d.sandboxes.get(ns.id));
    case "CONTAINER": {
      const c = proc?.container;
      if (!c) return null;
      return c.name ?? `${c.runtime}${c.id ? `:${c.id.slice(0, 12)}` : ""}`;
    }
    case "POD": {
      const pod = proc?.container?.pod;
      return pod ? `${pod.namespace}/${pod.name}` : (proc?.container?.podUid ?? null);
    }
    case "STATE":
      return nsState(d, ns, proc);
    case "FINDINGS":
      return [...new Set((d.findings.get(ns.id) ?? []).map((f) => f.code))].join(",") || null;
    default:
      return null;
  }
}
