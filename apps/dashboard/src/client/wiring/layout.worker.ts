/// <reference lib="webworker" />

import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import type { LayoutRequest, LayoutResult } from "../../lib/wiring-placement";

// ELK's layered algorithm runs here, off the page's thread: a few hundred boxes take long
// enough to freeze scrolling and input if laid out where React renders.
const elk = new ELK();

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

function graphOf(req: LayoutRequest): ElkNode {
  const groups = new Map<string, ElkNode>();
  const root: ElkNode = {
    id: "root",
    // Wires between boxes of different groups are laid out across the groups' borders.
    layoutOptions: req.nodes.some((n) => n.group) ? { ...LAYOUT, "elk.hierarchyHandling": "INCLUDE_CHILDREN" } : LAYOUT,
    children: [],
    edges: req.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  for (const n of req.nodes) {
    const node: ElkNode = { id: n.id, width: n.width, height: n.height };
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

self.onmessage = async (ev: MessageEvent<LayoutRequest>) => {
  const req = ev.data;
  const t0 = performance.now();
  try {
    const laid = await elk.layout(graphOf(req));
    const positions: LayoutResult["positions"] = {};
    positionsOf(laid, 0, 0, positions, new Set(req.nodes.map((n) => n.group).filter((g): g is string => g !== null)));
    self.postMessage({ seq: req.seq, positions, ms: performance.now() - t0 } satisfies LayoutResult);
  } catch (e) {
    // A layout that fails is reported to the page, which falls back to a grid.
    self.postMessage({
      seq: req.seq,
      positions: {},
      ms: performance.now() - t0,
      error: String(e),
    } satisfies LayoutResult);
  }
};
