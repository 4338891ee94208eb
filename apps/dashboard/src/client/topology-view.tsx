"use client";
import Link from "next/link";
import { type PointerEvent, useRef, useState, type WheelEvent } from "react";
import type { Layout } from "../lib/topology-layout";

const EDGE_STYLE: Record<string, string> = {
  veth: "stroke-indigo-500",
  "bridge-port": "stroke-slate-400",
  tun: "stroke-amber-500",
};

/** Serialises the drawing (with its colours inlined by the browser) for export. */
function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const src = svg.querySelectorAll("*");
  const dst = clone.querySelectorAll("*");
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const target = dst[i] as SVGElement | undefined;
    target?.setAttribute("style", `fill:${cs.fill};stroke:${cs.stroke};stroke-width:${cs.strokeWidth};font:${cs.font}`);
  });
  return new XMLSerializer().serializeToString(clone);
}

function save(name: string, url: string) {
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
}

/** The wiring of stacks as an SVG: drag to pan, wheel to zoom, export as SVG or PNG. */
export function TopologyView({ layout, base }: { layout: Layout; base: string }) {
  const svg = useRef<SVGSVGElement>(null);
  const [view, setView] = useState({ x: 0, y: 0, k: 1 });
  const drag = useRef<{ x: number; y: number } | null>(null);
  const onWheel = (e: WheelEvent) => {
    const k = Math.min(4, Math.max(0.2, view.k * (e.deltaY < 0 ? 1.1 : 0.9)));
    setView({ ...view, k });
  };
  const onDown = (e: PointerEvent) => {
    drag.current = { x: e.clientX - view.x, y: e.clientY - view.y };
  };
  const onMove = (e: PointerEvent) => {
    if (drag.current) setView({ ...view, x: e.clientX - drag.current.x, y: e.clientY - drag.current.y });
  };
  const exportSvg = () => {
    if (!svg.current) return;
    save("topology.svg", URL.createObjectURL(new Blob([svgText(svg.current)], { type: "image/svg+xml" })));
  };
  const exportPng = () => {
    if (!svg.current) return;
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = layout.width * 2;
      canvas.height = layout.height * 2;
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      ctx.fillStyle = getComputedStyle(document.body).backgroundColor;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0);
      save("topology.png", canvas.toDataURL("image/png"));
    };
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(svg.current))}`;
  };
  const btn = "rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700";
  return (
    <div>
      <div className="mb-2 flex items-center gap-2">
        <button
          type="button"
          className={btn}
          onClick={() => setView({ ...view, k: Math.min(4, view.k * 1.25) })}
          aria-label="Zoom in"
        >
          +
        </button>
        <button
          type="button"
          className={btn}
          onClick={() => setView({ ...view, k: Math.max(0.2, view.k / 1.25) })}
          aria-label="Zoom out"
        >
          −
        </button>
        <button type="button" className={btn} onClick={() => setView({ x: 0, y: 0, k: 1 })}>
          Reset
        </button>
        <span className="text-xs text-slate-500">drag to pan, wheel to zoom</span>
        <span className="ml-auto flex gap-2">
          <button type="button" className={btn} onClick={exportSvg}>
            Export SVG
          </button>
          <button type="button" className={btn} onClick={exportPng}>
            Export PNG
          </button>
        </span>
      </div>
      <div
        className="h-[70vh] cursor-grab overflow-hidden rounded-lg border border-slate-200 bg-white active:cursor-grabbing dark:border-slate-800 dark:bg-slate-900"
        onWheel={onWheel}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={() => {
          drag.current = null;
        }}
        onPointerLeave={() => {
          drag.current = null;
        }}
      >
        <svg
          ref={svg}
          width={layout.width}
          height={layout.height}
          data-testid="topology"
          role="img"
          aria-label="Network topology"
        >
          <title>Network stacks and the wires between them</title>
          <g transform={`translate(${view.x} ${view.y}) scale(${view.k})`}>
            {layout.edges.map((e) => (
              <g key={e.id} data-testid={`wire-${e.kind}`} data-wire={e.label}>
                <polyline
                  points={e.points.map((p) => `${p.x},${p.y}`).join(" ")}
                  className={`fill-none ${EDGE_STYLE[e.kind] ?? "stroke-slate-400"}`}
                  strokeWidth={2}
                  strokeDasharray={e.kind === "tun" ? "4 3" : undefined}
                />
                {e.label && e.points.length > 0 && (
                  <text
                    x={e.points[Math.floor(e.points.length / 2)]?.x}
                    y={(e.points[Math.floor(e.points.length / 2)]?.y ?? 0) - 6}
                    textAnchor="middle"
                    className="fill-slate-600 text-[10px] dark:fill-slate-300"
                  >
                    {e.label}
                  </text>
                )}
              </g>
            ))}
            {layout.nodes.map((n) => (
              <g
                key={n.id}
                transform={`translate(${n.x - n.width / 2} ${n.y - n.height / 2})`}
                data-testid="topo-node"
                data-node={n.id}
              >
                <rect
                  width={n.width}
                  height={n.height}
                  rx={n.kind === "process" ? 18 : 6}
                  className={
                    n.initial
                      ? "fill-indigo-100 stroke-indigo-600 dark:fill-indigo-950"
                      : n.kind === "bridge"
                        ? "fill-slate-100 stroke-slate-500 dark:fill-slate-800"
                        : n.kind === "process"
                          ? "fill-amber-50 stroke-amber-500 dark:fill-amber-950"
                          : "fill-white stroke-slate-500 dark:fill-slate-900"
                  }
                  strokeWidth={n.initial ? 2.5 : 1.5}
                />
                {n.kind === "stack" ? (
                  <Link href={`${base}/stacks#${n.id}`}>
                    <text
                      x={n.width / 2}
                      y={22}
                      textAnchor="middle"
                      className="fill-slate-900 text-[13px] font-semibold dark:fill-slate-100"
                    >
                      {n.label}
                    </text>
                  </Link>
                ) : (
                  <text
                    x={n.width / 2}
                    y={n.height / 2 + 4}
                    textAnchor="middle"
                    className="fill-slate-800 text-[12px] dark:fill-slate-200"
                  >
                    {n.label}
                  </text>
                )}
                {n.kind === "stack" && (
                  <text x={n.width / 2} y={40} textAnchor="middle" className="fill-slate-500 text-[10px]">
                    {n.detail}
                  </text>
                )}
              </g>
            ))}
          </g>
        </svg>
      </div>
    </div>
  );
}
