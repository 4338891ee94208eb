import type { Point, Rect } from "./wiring-geometry";
import { boundsOf, rowsOf } from "./wiring-geometry";
import type { Scene } from "./wiring-scene";

/** What the layout worker is asked: boxes (with the group they are drawn in and the height of
 * each wired port on them) and the wires between them, port to port. */
export interface LayoutRequest {
  seq: number;
  nodes: Array<{
    id: string;
    width: number;
    height: number;
    group: string | null;
    ports: Array<{ id: string; y: number }>;
  }>;
  /** From a port (or box) on the source's right to one on the target's left. */
  edges: Array<{ id: string; source: string; target: string; sourcePort: string | null; targetPort: string | null }>;
}

/** The layout question for the boxes `ids` of a scene. Each wire is directed from the box with
 * more wires (the initial stack first on a tie) so hubs come first, left to right, and their
 * ports' order on the box decides the order of what they lead to: fewer crossings. */
export function layoutRequest(scene: Scene, ids: ReadonlySet<string>, seq: number): LayoutRequest {
  const wires = scene.wires.filter((w) => w.boxA !== w.boxB && ids.has(w.boxA) && ids.has(w.boxB));
  const degree = new Map<string, number>();
  for (const w of wires) for (const b of [w.boxA, w.boxB]) degree.set(b, (degree.get(b) ?? 0) + 1);
  const initial = new Set(scene.boxes.filter((b) => b.kind === "stack" && b.stack.initial).map((b) => b.id));
  const first = (a: string, b: string) => {
    const d = (degree.get(b) ?? 0) - (degree.get(a) ?? 0);
    if (initial.has(a) !== initial.has(b)) return initial.has(a);
    return d !== 0 ? d < 0 : a < b;
  };
  const ported = new Set(wires.flatMap((w) => [w.a, w.b]));
  const nodes = scene.boxes
    .filter((b) => ids.has(b.id))
    .map((b) => ({
      id: b.id,
      width: b.width,
      height: b.height,
      group: b.kind === "stack" ? b.group : null,
      ports:
        b.kind === "stack"
          ? rowsOf(b.stack)
              .filter((r) => ported.has(r.port.id))
              .map((r) => ({ id: r.port.id, y: r.y }))
          : [],
    }));
  const edges = wires.map((w) => {
    const forward = first(w.boxA, w.boxB);
    const [src, dst, sp, dp] = forward ? [w.boxA, w.boxB, w.a, w.b] : [w.boxB, w.boxA, w.b, w.a];
    return {
      id: w.id,
      source: src,
      target: dst,
      sourcePort: sp === src ? null : sp,
      targetPort: dp === dst ? null : dp,
    };
  });
  return { seq, nodes, edges };
}

export interface LayoutResult {
  seq: number;
  positions: Record<string, Point>;
  /** Time the layout itself took in the worker. */
  ms: number;
  error?: string;
}

export const GAP = 60;

/** Where newly laid-out boxes go so that no box already placed moves: their block (as the worker
 * laid it out on its own) goes under everything drawn, beside the box its first wire leads to. */
export function placeBlock(
  known: ReadonlyMap<string, Point>,
  drawn: ReadonlyArray<{ id: string; width: number; height: number }>,
  block: Readonly<Record<string, Point>>,
  neighbourOf: (id: string) => string | undefined,
): Map<string, Point> {
  const ids = Object.keys(block);
  const placed = drawn
    .map((b): Rect | null => {
      const p = known.get(b.id);
      return p ? { ...p, width: b.width, height: b.height } : null;
    })
    .filter((r): r is Rect => r !== null);
  const all = boundsOf(placed);
  const out = new Map<string, Point>();
  const blockMin = {
    x: Math.min(...ids.map((id) => block[id]?.x ?? 0)),
    y: Math.min(...ids.map((id) => block[id]?.y ?? 0)),
  };
  let origin = { x: 0, y: 0 };
  if (all) {
    const anchor = ids.map((id) => neighbourOf(id)).find((n) => n !== undefined && known.has(n));
    origin = { x: anchor ? (known.get(anchor)?.x ?? all.x) : all.x, y: all.y + all.height + GAP };
  }
  for (const id of ids) {
    const p = block[id] ?? { x: 0, y: 0 };
    out.set(id, { x: origin.x + p.x - blockMin.x, y: origin.y + p.y - blockMin.y });
  }
  return out;
}
