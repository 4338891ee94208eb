import type { ActionImpact, Inventory, Link, Namespace, NetStack } from "@nsatlas/protocol";

export type ImpactLists = Pick<ActionImpact, "processes" | "links" | "unreachable" | "notes" | "diff">;

export const emptyImpact = (): ImpactLists => ({ processes: [], links: [], unreachable: [], notes: [] });

/** The processes in a stack, as a plan lists them. */
export function processesIn(inv: Inventory, ns: Namespace): ActionImpact["processes"] {
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  return ns.pids.map((pid) => {
    const p = byPid.get(pid);
    return { pid, comm: p?.comm ?? "?", command: p ? p.cmdline.join(" ") || `[${p.comm}]` : "" };
  });
}

/** The processes an action on one link reaches. Inside a container's stack that is everyone in
 * it; in the initial stack (every process of the host, kernel threads included) only those
 * with a socket bound to one of the link's addresses depend on that link. */
export function processesOfLink(
  inv: Inventory,
  ns: Namespace,
  stack: NetStack | null,
  link: Link,
): ActionImpact["processes"] {
  if (!ns.initial) return processesIn(inv, ns);
  const addrs = new Set(link.addresses.map((a) => a.address));
  const pids = new Set((stack?.listening ?? []).filter((l) => addrs.has(l.address)).flatMap((l) => l.pids));
  return processesIn(inv, { ...ns, pids: ns.pids.filter((pid) => pids.has(pid)) });
}

export const addressText = (a: Link["addresses"][number]) => `${a.address}/${a.prefixlen}`;

/** The same address, whatever way it was written (fd00:0::1 and fd00::1 are one address). */
export function sameAddress(a: string, b: string): boolean {
  const canon = (s: string) => {
    const [addr = "", prefix = ""] = s.split("/");
    if (!addr.includes(":")) return `${addr}/${prefix}`;
    try {
      return `${new URL(`http://[${addr}]/`).hostname}/${prefix}`;
    } catch {
      return s; // not an IPv6 address after all: compare as written
    }
  };
  return canon(a) === canon(b);
}

/** What stops being reachable when a link loses its addresses (it moves, goes down, or its
 * stack is destroyed): each address, the sockets bound to it, the routes through the link. */
export function unreachableVia(stack: NetStack, link: Link, why: string): ActionImpact["unreachable"] {
  const out: ActionImpact["unreachable"] = [];
  for (const a of link.addresses) {
    out.push({ what: `${addressText(a)} on ${link.name}`, why });
    for (const s of stack.listening.filter((l) => l.address === a.address)) {
      const who = s.pids.length > 0 ? ` (pid ${s.pids.join(", ")})` : "";
      out.push({ what: `${s.proto} ${a.address}:${s.port}${who}`, why: `it listens on ${a.address}` });
    }
  }
  for (const r of stack.routes.filter((r) => r.dev === link.name && r.dst !== "default" && r.protocol !== "kernel")) {
    out.push({ what: `route ${r.dst}${r.gateway ? ` via ${r.gateway}` : ""}`, why: `it goes through ${link.name}` });
  }
  const def = stack.routes.find((r) => r.dev === link.name && r.dst === "default");
  if (def)
    out.push({
      what: `the default route${def.gateway ? ` via ${def.gateway}` : ""}`,
      why: `it goes through ${link.name}`,
    });
  if (link.peer) {
    out.push({
      what: `the veth peer ${link.peer.name} in ${link.peer.ns}`,
      why: `it no longer reaches ${link.name} here`,
    });
  }
  return out;
}

/** What happens to each link of a stack the kernel destroys: veth pairs vanish with both ends,
 * a physical device goes back to the initial stack, virtual devices vanish. */
export function destroyedLinks(stack: NetStack, initialId: string): ImpactLists {
  const impact = emptyImpact();
  for (const l of stack.links) {
    if (l.kind === "loopback") continue;
    const to = l.kind === "physical" ? initialId : null;
    impact.links.push({ name: l.name, kind: l.kind, from: stack.ns, to });
    impact.unreachable.push(...unreachableVia(stack, l, "its stack is destroyed"));
    if (l.peer) impact.notes.push(`veth ${l.name}'s peer ${l.peer.name} in ${l.peer.ns} is destroyed with it`);
  }
  return impact;
}

/** Fills `impact` with what goes when nothing holds `stack` any more: the kernel destroys it
 * with its links (`note` says why, before the links' own notes). */
export function stackDestroyedImpact(impact: ImpactLists, inv: Inventory, stack: NetStack, note: string): void {
  const initial = inv.namespaces.find((n) => n.type === "net" && n.initial)?.id ?? "the initial stack";
  const gone = destroyedLinks(stack, initial);
  impact.links = gone.links;
  impact.unreachable = gone.unreachable;
  impact.notes.push(note, ...gone.notes);
}
