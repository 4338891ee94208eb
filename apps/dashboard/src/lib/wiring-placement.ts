import type { Point, Rect } from "./wiring-geometry";
import { boundsOf } from "./wiring-geometry";

/** What the layout worker is asked: boxes (with the group they are drawn in) and the wires between them. */
export interface LayoutRequest {
  seq: number;
  nodes: Array<{ id: string; width: number; height: number; group: string | null }>;
  edges: Array<{ id: string; source: string; target: string }>;
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
