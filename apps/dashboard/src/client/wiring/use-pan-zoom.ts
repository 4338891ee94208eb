"use client";
import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { fitTransform, type Point, type Rect, zoomAt } from "../../lib/wiring-geometry";

export interface View {
  x: number;
  y: number;
  k: number;
}

/** Pan (drag with one pointer), zoom anchored at the cursor (wheel) or between two fingers
 * (pinch), and fit-to-view for a drawing inside `el`. `moved()` tells a click from a drag. */
export function usePanZoom(el: RefObject<HTMLDivElement | null>) {
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const pointers = useRef(new Map<number, Point>());
  const dragged = useRef(0);
  const local = (e: { clientX: number; clientY: number }): Point => {
    const r = el.current?.getBoundingClientRect();
    return { x: e.clientX - (r?.left ?? 0), y: e.clientY - (r?.top ?? 0) };
  };

  // React registers wheel listeners as passive; zooming must stop the page from scrolling.
  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const at = local(e);
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      setView((v) => zoomAt(v, at, factor));
    };
    node.addEventListener("wheel", onWheel, { passive: false });
    return () => node.removeEventListener("wheel", onWheel);
  });

  const onPointerDown = (e: React.PointerEvent) => {
    pointers.current.set(e.pointerId, local(e));
    if (pointers.current.size === 1) dragged.current = 0;
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const before = pointers.current.get(e.pointerId);
    if (!before) return;
    const now = local(e);
    if (pointers.current.size === 1) {
      dragged.current += Math.abs(now.x - before.x) + Math.abs(now.y - before.y);
      // Capture only once this is a drag, so a click still reaches the box under the pointer.
      if (dragged.current > 4 && !el.current?.hasPointerCapture(e.pointerId))
        el.current?.setPointerCapture(e.pointerId);
      setView((v) => ({ ...v, x: v.x + now.x - before.x, y: v.y + now.y - before.y }));
    } else if (pointers.current.size === 2) {
      const other = [...pointers.current.entries()].find(([id]) => id !== e.pointerId)?.[1];
      if (!other) return;
      const d0 = Math.hypot(before.x - other.x, before.y - other.y);
      const d1 = Math.hypot(now.x - other.x, now.y - other.y);
      const mid0 = { x: (before.x + other.x) / 2, y: (before.y + other.y) / 2 };
      const mid1 = { x: (now.x + other.x) / 2, y: (now.y + other.y) / 2 };
      dragged.current += 10;
      setView((v) => {
        const z = zoomAt(v, mid0, d0 > 0 ? d1 / d0 : 1);
        return { ...z, x: z.x + mid1.x - mid0.x, y: z.y + mid1.y - mid0.y };
      });
    }
    pointers.current.set(e.pointerId, now);
  };
  const onPointerUp = (e: React.PointerEvent) => {
    pointers.current.delete(e.pointerId);
  };

  const fit = useCallback(
    (content: Rect | null) => {
      const r = el.current?.getBoundingClientRect();
      if (!content || !r) return;
      setView(fitTransform(content, { width: r.width, height: r.height }));
    },
    [el],
  );
  const zoomBy = (factor: number) => {
    const r = el.current?.getBoundingClientRect();
    setView((v) => zoomAt(v, { x: (r?.width ?? 0) / 2, y: (r?.height ?? 0) / 2 }, factor));
  };
  /** Arrows pan, + and - zoom about the middle (the drawing's keyboard use). */
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = 60;
    const pan: Record<string, [number, number]> = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const d = pan[e.key];
    if (d) setView((v) => ({ ...v, x: v.x + d[0], y: v.y + d[1] }));
    else if (e.key === "+" || e.key === "=") zoomBy(1.25);
    else if (e.key === "-") zoomBy(0.8);
    else return;
    e.preventDefault();
  };
  return {
    view,
    fit,
    zoomBy,
    moved: () => dragged.current > 4,
    handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp, onKeyDown },
  };
}
