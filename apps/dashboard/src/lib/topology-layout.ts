import dagre from "@dagrejs/dagre";
import type { TopoGraph, TopoNode } from "./topology-graph";

export interface PlacedNode extends TopoNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  id: string;
  kind: string;
  label: string;
  points: Array<{ x: number; y: number }>;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/** Lays the graph out with dagre (layered, left to right); node boxes sized by their label. */
export function layoutTopology(g: TopoGraph): Layout {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 90, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) {
    const width = Math.max(110, n.label.length * 8 + 30, n.kind === "stack" ? n.detail.length * 6 + 20 : 0);
    graph.setNode(n.id, { width, height: n.kind === "stack" ? 52 : 36 });
  }
  for (const e of g.edges) graph.setEdge(e.from, e.to, { label: e.label, width: e.label.length * 6, height: 14 }, e.id);
  dagre.layout(graph);
  const nodes = g.nodes.map((n): PlacedNode => {
    const p = graph.node(n.id);
    return { ...n, x: p.x, y: p.y, width: p.width, height: p.height };
  });
  const edges = g.edges.map((e): PlacedEdge => {
    const p = graph.edge({ v: e.from, w: e.to, name: e.id });
    return { id: e.id, kind: e.kind, label: e.label, points: p?.points ?? [] };
  });
  const meta = graph.graph();
  return { nodes, edges, width: meta.width ?? 400, height: meta.height ?? 300 };
}
