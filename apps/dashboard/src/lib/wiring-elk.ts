import type { ElkNode } from "elkjs/lib/elk-api";
import type { LayoutRequest, LayoutResult } from "./wiring-placement";

const LAYOUT = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.spacing.nodeNode": "40",
  "elk.layered.spacing.nodeNodeBetweenLayers": "120",
  "elk.separateConnectedComponents": "true",
  "elk.spacing.componentComponent": "60",
  "elk.aspectRatio": "1.8",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
};

/** The ELK graph of a layout request: boxes with their rows as ports, groups as compound nodes. */
export function elkGraph(req: LayoutRequest): ElkNode {
  const groups = new Map<string, ElkNode>();
  const root: ElkNode = {
    id: "root",
    // Wires between boxes of different groups are laid out across the groups' borders.
    layoutOptions: req.nodes.some((n) => n.group) ? { ...LAYOUT, "elk.hierarchyHandling": "INCLUDE_CHILDREN" } : LAYOUT,
    children: [],
    edges: req.edges.map((e) => ({
      id: e.id,
      sources: [e.sourcePort ? `${e.sourcePort}>` : e.source],
      targets: [e.targetPort ? `${e.targetPort}<` : e.target],
    })),
  };
  for (const n of req.nodes) {
    // Each wired row is a port on both edges of its box, at the row's height: wires leave on
    // the right and arrive on the left, and ELK orders what they lead to by the rows' order.
    const node: ElkNode = {
      id: n.id,
      width: n.width,
      height: n.height,
      layoutOptions: { "elk.portConstraints": "FIXED_POS" },
      ports: n.ports.flatMap((p) => [
        { id: `${p.id}>`, x: n.width, y: p.y, width: 1, height: 1, layoutOptions: { "elk.port.side": "EAST" } },
        { id: `${p.id}<`, x: -1, y: p.y, width: 1, height: 1, layoutOptions: { "elk.port.side": "WEST" } },
      ]),
    };
    if (!n.group) {
      root.children?.push(node);
      continue;
    }
    let g = groups.get(n.group);
    if (!g) {
      g = {
        id: n.group,
        layoutOptions: { ...LAYOUT, "elk.padding": "[top=30,left=16,bottom=16,right=16]" },
        children: [],
      };
      groups.set(n.group, g);
      root.children?.push(g);
    }
    g.children?.push(node);
  }
  return root;
}

function positionsOf(node: ElkNode, dx: number, dy: number, out: LayoutResult["positions"], groups: Set<string>) {
  for (const c of node.children ?? []) {
    const x = dx + (c.x ?? 0);
    const y = dy + (c.y ?? 0);
    if (groups.has(c.id)) positionsOf(c, x, y, out, groups);
    else out[c.id] = { x, y };
  }
}

/** Top-left corners of the boxes, in the drawing's coordinates (a group's offset added). */
export function elkPositions(req: LayoutRequest, laid: ElkNode): LayoutResult["positions"] {
  const out: LayoutResult["positions"] = {};
  positionsOf(laid, 0, 0, out, new Set(req.nodes.map((n) => n.group).filter((g): g is string => g !== null)));
  return out;
}
