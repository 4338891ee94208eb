import type { UiInventory } from "./inventory-types";
import { stackTitles } from "./stack-names";

export interface TopoNode {
  id: string;
  label: string;
  kind: "stack" | "bridge" | "process";
  initial: boolean;
  detail: string;
}

export interface TopoEdge {
  id: string;
  from: string;
  to: string;
  kind: "veth" | "bridge-port" | "tun";
  label: string;
}

export interface TopoGraph {
  nodes: TopoNode[];
  edges: TopoEdge[];
}

/** Stacks as nodes; veth pairs between stacks, bridge ports (bridge as its own node) and
 * tun/tap owners (the process as a node) as wires. Each veth pair becomes one edge. */
export function buildTopology(inv: UiInventory): TopoGraph {
  const nodes: TopoNode[] = [];
  const edges: TopoEdge[] = [];
  const names = new Map(inv.namespaces.filter((n) => n.type === "net").map((n) => [n.id, n]));
  const titles = stackTitles(inv);
  const title = (id: string) => titles.get(id) ?? id;
  const comm = new Map(inv.processes.map((p) => [p.pid, p.comm]));
  const seenPairs = new Set<string>();
  for (const s of inv.netstacks ?? []) {
    const ns = names.get(s.ns);
    nodes.push({
      id: s.ns,
      label: title(s.ns),
      kind: "stack",
      initial: ns?.initial ?? false,
      detail: `${s.links.length} links · ${ns?.pids.length ?? 0} processes`,
    });
    for (const l of s.links) {
      if (l.kind === "bridge") {
        nodes.push({
          id: `${s.ns}/${l.name}`,
          label: l.name,
          kind: "bridge",
          initial: false,
          detail: `bridge in ${title(s.ns)}`,
        });
        edges.push({
          id: `${s.ns}/${l.name}/host`,
          from: s.ns,
          to: `${s.ns}/${l.name}`,
          kind: "bridge-port",
          label: "",
        });
      }
      if (l.peer && l.peer.ns !== s.ns) {
        const a = `${s.ns}#${l.ifindex}`;
        const b = `${l.peer.ns}#${l.peer.ifindex}`;
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        if (!seenPairs.has(key)) {
          seenPairs.add(key);
          const from = l.master ? `${s.ns}/${l.master}` : s.ns;
          edges.push({ id: key, from, to: l.peer.ns, kind: "veth", label: `${l.name} ⇄ ${l.peer.name}` });
        }
      }
      for (const pid of l.tunOwners) {
        const pnode = `pid:${pid}`;
        if (!nodes.some((n) => n.id === pnode)) {
          nodes.push({
            id: pnode,
            label: `${comm.get(pid) ?? "?"} (${pid})`,
            kind: "process",
            initial: false,
            detail: "tun/tap owner",
          });
        }
        edges.push({ id: `${s.ns}/${l.name}/tun/${pid}`, from: s.ns, to: pnode, kind: "tun", label: l.name });
      }
    }
  }
  // Peer edges may point at the master bridge node of the other side too; fix dangling ends.
  const ids = new Set(nodes.map((n) => n.id));
  return { nodes, edges: edges.filter((e) => ids.has(e.from) && ids.has(e.to)) };
}
