import type { Finding, Holder, Namespace, NetStack, Process } from "@nsatlas/protocol";
import type { UiInventory } from "./inventory-types";
import { nameStacks, stackTitles } from "./stack-names";

/** Why a stack is alive, in words a person reads at a glance. */
export interface AliveReason {
  kind: Holder["kind"];
  text: string;
}

export interface ProcessGroup {
  /** "pod shop/web-0", "container web1", "docker 0123456789ab", or the command name. */
  label: string;
  container: boolean;
  /** What the group is: a pod, a container, or processes of one command. */
  kind: "pod" | "container" | "command";
  pids: number[];
  commands: string[];
}

/** Container facets of a stack, for the URL filters (?container=, ?pod=, ?compose=, ?image=). */
export interface StackFacets {
  container: string[];
  pod: string[];
  compose: string[];
  image: string[];
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
  facets: StackFacets;
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

/** The group a process belongs to: its pod, else its container, else its command. */
export function groupOf(p: Process): { key: string; kind: ProcessGroup["kind"] } {
  if (isKernelThread(p)) return { key: "kernel threads", kind: "command" };
  const c = p.container;
  if (!c) return { key: p.comm, kind: "command" };
  if (c.pod) return { key: `pod ${c.pod.namespace}/${c.pod.name}`, kind: "pod" };
  if (c.name) return { key: `container ${c.name}`, kind: "container" };
  return { key: `${c.runtime} ${shortId(c.id) || c.podUid}`, kind: "container" };
}

export const KIND_RANK: Record<ProcessGroup["kind"], number> = { pod: 0, container: 1, command: 2 };

/** Groups processes by pod, then container, then command name; kernel threads (dozens of
 * kworkers in the initial namespaces) form one group. */
export function groupProcesses(procs: readonly Process[]): ProcessGroup[] {
  const groups = new Map<string, ProcessGroup>();
  for (const p of procs) {
    const { key, kind } = groupOf(p);
    let g = groups.get(key);
    if (!g) {
      g = { label: key, container: p.container !== null, kind, pids: [], commands: [] };
      groups.set(key, g);
    }
    g.pids.push(p.pid);
    const cmd = p.cmdline.join(" ") || `[${p.comm}]`;
    if (g.commands.length < 3 && !g.commands.includes(cmd)) g.commands.push(cmd);
  }
  return [...groups.values()].sort(
    (a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.pids.length - a.pids.length || a.label.localeCompare(b.label),
  );
}

const uniq = (xs: Array<string | null | undefined>) => [...new Set(xs.filter((x): x is string => !!x))];

export function facetsOf(procs: readonly Process[]): StackFacets {
  const hints = procs.map((p) => p.container).filter((c) => c !== null);
  return {
    container: uniq(hints.map((c) => c.name)),
    pod: uniq(hints.map((c) => (c.pod ? `${c.pod.namespace}/${c.pod.name}` : null))),
    compose: uniq(hints.map((c) => c.compose?.project)),
    image: uniq(hints.map((c) => c.image)),
  };
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
      const title = titles.get(n.id) ?? `unnamed (${n.inode})`;
      const facets = facetsOf(procs);
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
        ...Object.values(facets).flat(),
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
        facets,
        haystack,
      };
    });
  const rank = (c: StackCard) => (c.initial ? 0 : c.title.startsWith("unnamed") ? 2 : 1);
  return cards.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title) || a.inode - b.inode);
}

/** The URL's container filters: `?container=web1&pod=shop/web-0&compose=shop&image=busybox`. */
export type FacetFilter = Partial<Record<keyof StackFacets, string>>;

export const FACET_KEYS = ["container", "pod", "compose", "image"] as const satisfies ReadonlyArray<keyof StackFacets>;

/** Cards whose text contains every word of the filter and whose facets match every facet
 * filter (a value matches when it contains the filter, case-insensitively). */
export function filterCards(cards: readonly StackCard[], filter: string, facets: FacetFilter = {}): StackCard[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return cards.filter((c) => words.every((w) => c.haystack.includes(w)) && matchesFacets(c.facets, facets));
}

/** Whether facets match every facet filter (a value matches when it contains it, any case). */
export function matchesFacets(have: StackFacets, want: FacetFilter): boolean {
  return FACET_KEYS.every((k) => {
    const v = want[k]?.toLowerCase();
    return !v || have[k].some((x) => x.toLowerCase().includes(v));
  });
}

/** The URL's facet filters (?container=, ?pod=, ?compose=, ?image=). */
export function facetFilterFrom(params: { get(key: string): string | null }): FacetFilter {
  const out: FacetFilter = {};
  for (const k of FACET_KEYS) {
    const v = params.get(k);
    if (v) out[k] = v;
  }
  return out;
}

/** Processes grouped as stack cards group them: pods, then containers, then commands. */
export function sortByGroup(procs: readonly Process[]): Process[] {
  const keyed = procs.map((p) => ({ p, g: groupOf(p) }));
  keyed.sort(
    (a, b) => KIND_RANK[a.g.kind] - KIND_RANK[b.g.kind] || a.g.key.localeCompare(b.g.key) || a.p.pid - b.p.pid,
  );
  return keyed.map((k) => k.p);
}
