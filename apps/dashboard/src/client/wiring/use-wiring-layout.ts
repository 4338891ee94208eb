"use client";
import { useEffect, useRef, useState } from "react";
import type { Point } from "../../lib/wiring-geometry";
import { GAP, type LayoutResult, layoutRequest, placeBlock } from "../../lib/wiring-placement";
import type { Scene } from "../../lib/wiring-scene";
import { layoutWorker, nextLayoutSeq } from "./layout-worker";

export interface LayoutStats {
  /** Layout time in the worker, and from asking to having positions, of the last layout. */
  workerMs: number;
  roundTripMs: number;
  boxes: number;
}

function cacheIn(caches: Map<string, Map<string, Point>>, key: string): Map<string, Point> {
  let c = caches.get(key);
  if (!c) {
    c = new Map();
    caches.set(key, c);
  }
  return c;
}

/** Positions of a scene's boxes, laid out by ELK in a web worker. Boxes keep the position they
 * got the first time (per `key`, e.g. the grouping): only boxes never placed before are laid
 * out, as a block of their own, and put beside what is drawn, so nothing already drawn moves. */
export function useWiringLayout(scene: Scene, key: string) {
  const worker = useRef<Worker | null>(null);
  const caches = useRef(new Map<string, Map<string, Point>>());
  const asked = useRef<{ seq: number; t0: number; key: string; ids: string } | null>(null);
  const sceneRef = useRef(scene);
  sceneRef.current = scene;
  const [version, setVersion] = useState(0);
  const [stats, setStats] = useState<LayoutStats | null>(null);

  const cacheOf = (k: string) => cacheIn(caches.current, k);

  useEffect(() => {
    const w = layoutWorker();
    worker.current = w;
    const onMessage = (ev: MessageEvent<LayoutResult>) => {
      const a = asked.current;
      if (!a || ev.data.seq !== a.seq) return;
      asked.current = null;
      const s = sceneRef.current;
      const known = cacheIn(caches.current, a.key);
      const ids = a.ids.split("\n");
      const block: Record<string, Point> = { ...ev.data.positions };
      // A failed layout still draws: a grid, one column per 8 boxes.
      ids.forEach((id, i) => {
        block[id] ??= { x: Math.floor(i / 8) * 320, y: (i % 8) * 200 };
      });
      const neighbour = (id: string) => {
        for (const w of s.wires) {
          if (w.boxA === id && known.has(w.boxB)) return w.boxB;
          if (w.boxB === id && known.has(w.boxA)) return w.boxA;
        }
        return undefined;
      };
      const drawn = s.boxes.filter((b) => known.has(b.id));
      for (const [id, p] of placeBlock(known, drawn, block, neighbour)) known.set(id, p);
      performance.mark("wiring:laid-out");
      setStats({ workerMs: ev.data.ms, roundTripMs: performance.now() - a.t0, boxes: ids.length });
      setVersion((v) => v + 1);
    };
    w.addEventListener("message", onMessage);
    return () => {
      w.removeEventListener("message", onMessage);
      // A layout asked for by this view and not yet answered is dropped with it.
      asked.current = null;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version re-checks after a layout lands
  useEffect(() => {
    const known = cacheIn(caches.current, key);
    // A group collapsed by hand takes the place of its members, so nothing else moves.
    for (const b of scene.boxes) {
      if (b.kind !== "group" || known.has(b.id)) continue;
      const at = b.members.map((m) => known.get(m.id)).filter((p): p is Point => p !== undefined);
      if (at.length > 0) known.set(b.id, { x: Math.min(...at.map((p) => p.x)), y: Math.min(...at.map((p) => p.y)) });
    }
    const missing = scene.boxes.filter((b) => !known.has(b.id));
    if (missing.length === 0 || !worker.current) return;
    const ids = missing.map((b) => b.id).join("\n");
    if (asked.current && asked.current.key === key && asked.current.ids === ids) return;
    const req = layoutRequest(scene, new Set(missing.map((b) => b.id)), nextLayoutSeq());
    asked.current = { seq: req.seq, t0: performance.now(), key, ids };
    worker.current.postMessage(req);
  }, [scene, key, version]);

  const known = cacheOf(key);
  const positions = new Map<string, Point>();
  for (const b of scene.boxes) {
    const p = known.get(b.id);
    if (p) positions.set(b.id, p);
  }
  return { positions, stats, pending: positions.size < scene.boxes.length, gap: GAP };
}
