/// <reference lib="webworker" />

import ELK from "elkjs/lib/elk.bundled.js";
import { elkGraph, elkPositions } from "../../lib/wiring-elk";
import type { LayoutRequest, LayoutResult } from "../../lib/wiring-placement";

// ELK's layered algorithm runs here, off the page's thread: a few hundred boxes take long
// enough to freeze scrolling and input if laid out where React renders.
const elk = new ELK();

self.onmessage = async (ev: MessageEvent<LayoutRequest>) => {
  const req = ev.data;
  const t0 = performance.now();
  try {
    const positions = elkPositions(req, await elk.layout(elkGraph(req)));
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
