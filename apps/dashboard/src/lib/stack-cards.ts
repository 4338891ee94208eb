import type { Finding, Holder, Namespace, NetStack, Process } from "@nsatlas/protocol";
import type { UiInventory } from "./inventory-types";
import { nameStacks, stackTitles } from "./stack-names";

/** Why a stack is alive, in words a person reads at a glance. */
export interface AliveReason {
  kind: Holder["kind"];
  text: string;
}

export interface ProcessGroup {
  /** "docker 0123456789ab", or the command name. */
  label: string;
  container: boolean;
  pids: number[];
  commands: string[];
}

export interface StackCard {
  id: string;
  inode: number;
  title: string;
  names: string[];
  initial: boolean;
  reasons: AliveReason[];
  groups: ProcessGroup[];
  processCount: number;
  stack: NetStack | null;
  findings: Finding[];
  /** Lower-case text of everything on the card, for the filter box. */
  haystack: string;
}

const shortId = (id: string | null) => (id ? id.slice(0, 12) : "");

function reasonText(h: Holder, comm: (pid: number) => string): string {
  switch (h.kind) {
    case "process":
      return `process ${h.pid} (${comm(h.pid)})`;
    case "task":
      return `thread ${h.tid} of ${h.pid} (${comm(h.pid)})`;
    case "fd":
      return `open fd ${h.fd} of ${h.pid} (${comm(h.pid)})`;
    case "socket":
      return `socket fd ${h.fd} of ${h.pid} (${comm(h.pid)})`;
    case "bindmount":
      return `pinned at ${h.path}`;
    case "children":
      return `new children of ${h.pid} (${comm(h.pid)})`;
  }
}

/** Kernel threads: kthreadd (pid 2) and its children have no argv. */
export const isKernelThread = (p: Process) => p.cmdline.length === 0 && (p.pid === 2 || p.ppid === 2);

/** Groups processes by container when they have one, else by command name; kernel threads
 * (dozens of kworkers in the initial namespaces) form one group. */
export function groupProcesses(procs: readonly Process[]): ProcessGroup[] {
  const groups = new Map<string, ProcessGroup>();
  for (const p of procs) {
    const key = isKernelThread(p)
      ? "kernel threads"
      : p.container
        ? `${p.container.runtime} ${shortId(p.container.id) || p.container.podUid}`
        : p.comm;
    let g = groups.get(key);
    if (!g) {
      g = { label: key, container: p.container !== null, pids: [], commands: [] };
      groups.set(key, g);
    }
    g.pids.push(p.pid);
    const cmd = p.cmdline.join(" ") || `[${p.comm}]`;
    if (g.commands.length < 3 && !g.commands.includes(cmd)) g.commands.push(cmd);
  }
  return [...groups.values()].sort((a, b) => b.pids.length - a.pids.length || a.label.localeCompare(b.label));
}

/** One card per network namespace: names (or "initial", or "unnamed (inode)"), why it is
 * alive, the processes sharing it, and its stack detail. Initial first, then named, then the rest. */
export function buildStackCards(inv: UiInventory): StackCard[] {
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  const comm = (pid: number) => byPid.get(pid)?.comm ?? "?";
  const stacks = new Map((inv.netstacks ?? []).map((s) => [s.ns, s]));
  const titles = stackTitles(inv);
  const cards = inv.namespaces
    .filter((n): n is Namespace => n.type === "net")
    .map((n): StackCard => {
      const procs = n.pids.map((pid) => byPid.get(pid)).filter((p): p is Process => p !== undefined);
      const nonProcess = n.holders.filter((h) => h.kind !== "process");
      const reasons: AliveReason[] = [];
      if (n.pids.length > 0)
        reasons.push({ kind: "process", text: `${n.pids.length} process${n.pids.length === 1 ? "" : "es"}` });
      for (const h of nonProcess) reasons.push({ kind: h.kind, text: reasonText(h, comm) });
      const title = n.initial ? "initial" : n.names.length > 0 ? n.names.join(", ") : `unnamed (${n.inode})`;
      const stack = stacks.get(n.id) ?? null;
      const findings = (inv.findings ?? [])
        .filter((f) => f.ns === n.id)
        .map((f) => ({ ...f, message: nameStacks(f.message, titles) }));
      const haystack = [
        title,
        n.id,
        String(n.inode),
        ...n.pids.map(String),
        ...procs.map((p) => `${p.comm} ${p.cmdline.join(" ")}`),
        ...(stack?.links ?? []).flatMap((l) => [l.name, l.kind, l.mac ?? "", ...l.addresses.map((a) => a.address)]),
        ...(stack?.listening ?? []).map((s) => `${s.proto} ${s.address}:${s.port} :${s.port}`),
      ]
        .join(" ")
        .toLowerCase();
      return {
        id: n.id,
        inode: n.inode,
        title,
        names: n.names,
        initial: n.initial,
        reasons,
        groups: groupProcesses(procs),
        processCount: procs.length,
        stack,
        findings,
        haystack,
      };
    });
  const rank = (c: StackCard) => (c.initial ? 0 : c.names.length > 0 ? 1 : 2);
  return cards.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title) || a.inode - b.inode);
}

/** Cards whose text contains every word of the filter. */
export function filterCards(cards: readonly StackCard[], filter: string): StackCard[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return words.length === 0 ? [...cards] : cards.filter((c) => words.every((w) => c.haystack.includes(w)));
}
