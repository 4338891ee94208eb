import type { WiringPort, WiringStack } from "./wiring-model";

/** Sizes of a stack's box: a header with its name, then one row per port. */
export const BOX = { width: 250, header: 40, row: 22, pad: 8, indent: 14 } as const;

export interface Point {
  x: number;
  y: number;
}

export interface Rect extends Point {
  width: number;
  height: number;
}

export const boxHeight = (ports: number) => BOX.header + Math.max(ports, 0) * BOX.row + BOX.pad;

/** Row offset of each port of a stack (members of a bridge indented under it). */
export function rowsOf(stack: WiringStack): Array<{ port: WiringPort; y: number; indent: number }> {
  return stack.ports.map((port, i) => ({
    port,
    y: BOX.header + i * BOX.row + BOX.row / 2,
    indent: port.memberOf ? BOX.indent : 0,
  }));
}

/** The smallest rectangle around some boxes (null for none). */
export function boundsOf(rects: Iterable<Rect>): Rect | null {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const r of rects) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.width);
    maxY = Math.max(maxY, r.y + r.height);
  }
  return Number.isFinite(minX) ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : null;
}

/** A wire between two anchors: leaves each box on the side facing the other; both ends on the
 * same box (a bridge member, a veth with both ends in one stack) bend out of its left edge. */
export function wirePath(a: Point & { box: Rect }, b: Point & { box: Rect }): string {
  if (a.box === b.box || stacked(a.box, b.box)) {
    // One box above the other: out of both left edges, around, so the wire crosses neither.
    const bend = 18 + Math.min(a.box === b.box ? 40 : 90, Math.abs(b.y - a.y) / 4);
    const x = Math.min(a.box.x, b.box.x) - bend;
    return `M${a.box.x},${a.y} C${x},${a.y} ${x},${b.y} ${b.box.x},${b.y}`;
  }
  const aRight = a.box.x + a.box.width / 2 < b.box.x + b.box.width / 2;
  const ax = aRight ? a.box.x + a.box.width : a.box.x;
  const bx = aRight ? b.box.x : b.box.x + b.box.width;
  const dx = Math.max(40, Math.abs(bx - ax) / 2) * (aRight ? 1 : -1);
  return `M${ax},${a.y} C${ax + dx},${a.y} ${bx - dx},${b.y} ${bx},${b.y}`;
}

/** Whether two boxes sit in one column (their x ranges overlap by more than half a box). */
export function stacked(a: Rect, b: Rect): boolean {
  return Math.abs(a.x + a.width / 2 - (b.x + b.width / 2)) < Math.min(a.width, b.width) / 2;
}

/** The sides of their boxes two wired ports show on: facing each other, or both left when
 * the boxes are one above the other (or the same). */
export function sidesOf(a: Rect, b: Rect): ["left" | "right", "left" | "right"] {
  if (a === b || stacked(a, b)) return ["left", "left"];
  return a.x + a.width / 2 < b.x + b.width / 2 ? ["right", "left"] : ["left", "right"];
}

/** Scale and offset that fit a rectangle in a viewport with a margin, never above 1.5×. */
export function fitTransform(content: Rect, viewport: { width: number; height: number }, margin = 24) {
  const k = Math.min(
    1.5,
    (viewport.width - 2 * margin) / Math.max(content.width, 1),
    (viewport.height - 2 * margin) / Math.max(content.height, 1),
  );
  const scale = Math.max(0.05, k);
  return {
    k: scale,
    x: (viewport.width - content.width * scale) / 2 - content.x * scale,
    y: (viewport.height - content.height * scale) / 2 - content.y * scale,
  };
}

/** Zoom by `factor` keeping the point under the cursor (`at`, viewport coordinates) where it is. */
export function zoomAt(view: { x: number; y: number; k: number }, at: Point, factor: number, min = 0.05, max = 4) {
  const k = Math.min(max, Math.max(min, view.k * factor));
  const f = k / view.k;
  return { k, x: at.x - (at.x - view.x) * f, y: at.y - (at.y - view.y) * f };
}
