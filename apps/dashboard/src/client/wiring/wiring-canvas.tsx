"use client";
import { forwardRef, useImperativeHandle, useMemo, useRef } from "react";
import { BOX, boundsOf, type Point, type Rect, rowsOf, sidesOf, wirePath } from "../../lib/wiring-geometry";
import type { Scene, SceneWire } from "../../lib/wiring-scene";
import { usePanZoom } from "./use-pan-zoom";
import { DOWN_DASH, WIRE_STYLE } from "./wire-styles";
import { type Hover, WiringBox } from "./wiring-box";

export interface CanvasHandle {
  fit(): void;
  zoomBy(factor: number): void;
  svg(): SVGSVGElement | null;
  bounds(): Rect | null;
}

interface Props {
  scene: Scene;
  positions: ReadonlyMap<string, Point>;
  selected: string | null;
  onHover: (h: Hover) => void;
  onSelect: (kind: "stack" | "port" | "group" | null, id: string) => void;
}

interface Anchor extends Point {
  box: Rect;
}

/** Where each drawn box is, and where each wire end sits on it. */
function geometry(scene: Scene, positions: ReadonlyMap<string, Point>) {
  const rects = new Map<string, Rect>();
  const anchors = new Map<string, Anchor>();
  for (const b of scene.boxes) {
    const p = positions.get(b.id);
    if (!p) continue;
    const box = { ...p, width: b.width, height: b.height };
    rects.set(b.id, box);
    anchors.set(b.id, { x: box.x, y: box.y + BOX.header / 2, box });
    if (b.kind === "stack") for (const r of rowsOf(b.stack)) anchors.set(r.port.id, { x: box.x, y: box.y + r.y, box });
  }
  const sides = new Map<string, "left" | "right">();
  for (const w of scene.wires) {
    const a = anchors.get(w.a);
    const b = anchors.get(w.b);
    if (!a || !b || a.box === b.box) continue;
    const [sa, sb] = sidesOf(a.box, b.box);
    if (!sides.has(w.a)) sides.set(w.a, sa);
    if (!sides.has(w.b)) sides.set(w.b, sb);
  }
  return { rects, anchors, sides };
}

function pathOf(w: SceneWire, a: Anchor, b: Anchor): string {
  if (w.kind === "member" && a.box === b.box) {
    // A bridge's members hang off a bus inside the band, under the bridge's own row.
    const x = a.box.x + 12;
    return `M${x},${b.y} V${a.y} H${a.box.x + BOX.indent + 8}`;
  }
  return wirePath(a, b);
}

const isBus = (w: SceneWire) => w.kind === "member" && w.boxA === w.boxB;

function WireLine({ w, anchors }: { w: SceneWire; anchors: ReadonlyMap<string, Anchor> }) {
  const a = anchors.get(w.a);
  const b = anchors.get(w.b);
  if (!a || !b) return null;
  const st = WIRE_STYLE[w.kind];
  return (
    <g
      data-testid="wire"
      data-a={w.a}
      data-b={w.b}
      data-kind={w.kind}
      data-wire={w.label || undefined}
      data-down={w.down ? "true" : undefined}
      className="pointer-events-none"
    >
      <path
        d={pathOf(w, a, b)}
        className={`fill-none ${w.down ? "stroke-red-400 dark:stroke-red-500" : st.className}`}
        strokeWidth={st.width + (w.count > 1 ? 1.5 : 0)}
        strokeDasharray={w.down ? DOWN_DASH : st.dash}
        opacity={w.down ? 0.75 : 1}
      />
      {w.count > 1 && (
        <text
          x={(a.x + b.x) / 2}
          y={(a.y + b.y) / 2 - 4}
          textAnchor="middle"
          className="fill-slate-600 text-[10px] dark:fill-slate-300"
        >
          {w.label}
        </text>
      )}
    </g>
  );
}

/** The drawing: group frames, wires, then boxes on top, in one pannable, zoomable SVG. */
export const WiringCanvas = forwardRef<CanvasHandle, Props>(function WiringCanvas(props, ref) {
  const { scene, positions } = props;
  const el = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const pz = usePanZoom(el);
  const { rects, anchors, sides } = useMemo(() => geometry(scene, positions), [scene, positions]);
  const frames = useMemo(
    () =>
      [...scene.groups.entries()].flatMap(([id, g]) => {
        const r = boundsOf(g.members.map((m) => rects.get(m)).filter((x): x is Rect => x !== undefined));
        return r && !rects.has(id) ? [{ id, label: g.label, n: g.members.length, r }] : [];
      }),
    [scene, rects],
  );
  const bounds = () => {
    const all = [
      ...rects.values(),
      ...frames.map((f) => ({ ...f.r, x: f.r.x - 16, y: f.r.y - 30, width: f.r.width + 32, height: f.r.height + 46 })),
    ];
    const b = boundsOf(all);
    // Wires that bend out of a box's left edge need room there.
    return b ? { x: b.x - 50, y: b.y - 10, width: b.width + 60, height: b.height + 20 } : null;
  };
  useImperativeHandle(ref, () => ({
    fit: () => pz.fit(bounds()),
    zoomBy: pz.zoomBy,
    svg: () => svg.current,
    bounds,
  }));
  const { view } = pz;
  return (
    <div
      ref={el}
      className="relative h-[65vh] min-h-[320px] cursor-grab touch-none overflow-hidden rounded-lg border border-slate-200 bg-slate-50 select-none active:cursor-grabbing dark:border-slate-800 dark:bg-slate-950"
      data-testid="wiring-canvas"
      role="application"
      aria-label="Wiring drawing: arrows pan, + and - zoom, Escape closes the card"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the drawing takes keys to pan and zoom
      tabIndex={0}
      {...pz.handlers}
      onKeyDown={(e) => {
        if (e.key === "Escape") props.onSelect(null, "");
        else pz.handlers.onKeyDown(e);
      }}
      onClick={() => {
        if (!pz.moved()) props.onSelect(null, "");
      }}
    >
      {/* biome-ignore lint/a11y/useSemanticElements: an <svg> drawing that holds buttons is a group, not a fieldset (role img would make its buttons presentational) */}
      <svg
        ref={svg}
        width="100%"
        height="100%"
        data-testid="wiring"
        role="group"
        aria-label="Wiring of the network stacks"
      >
        <title>Network stacks and the wires between them</title>
        <g
          data-testid="wiring-transform"
          data-k={view.k.toFixed(4)}
          data-x={view.x.toFixed(1)}
          data-y={view.y.toFixed(1)}
          transform={`translate(${view.x} ${view.y}) scale(${view.k})`}
        >
          {frames.map((f) => (
            <g key={f.id} data-testid="group-frame" data-group={f.id}>
              <rect
                x={f.r.x - 16}
                y={f.r.y - 30}
                width={f.r.width + 32}
                height={f.r.height + 46}
                rx={12}
                strokeDasharray="6 4"
                className="fill-slate-100/60 stroke-slate-400 dark:fill-slate-900/60 dark:stroke-slate-600"
              />
              {/* biome-ignore lint/a11y/useSemanticElements: an SVG label cannot be a <button> */}
              <g
                role="button"
                tabIndex={0}
                aria-label={`Collapse group ${f.label}`}
                className="cursor-pointer"
                onClick={(e) => {
                  e.stopPropagation();
                  props.onSelect("group", f.id);
                }}
                onKeyDown={(e) => e.key === "Enter" && props.onSelect("group", f.id)}
              >
                <rect x={f.r.x - 16} y={f.r.y - 30} width={f.r.width + 32} height={26} className="fill-transparent" />
                <text
                  x={f.r.x - 6}
                  y={f.r.y - 11}
                  className="fill-slate-600 text-[12px] font-semibold dark:fill-slate-300"
                >
                  ▾ {f.label} ({f.n} stacks)
                </text>
              </g>
            </g>
          ))}
          {scene.wires.map((w) => (isBus(w) ? null : <WireLine key={w.id} w={w} anchors={anchors} />))}
          {scene.boxes.map((b) => {
            const at = rects.get(b.id);
            return at ? (
              <WiringBox
                key={b.id}
                box={b}
                at={at}
                sides={sides}
                selected={props.selected === b.id}
                onHover={props.onHover}
                onSelect={props.onSelect}
              />
            ) : null;
          })}
          {/* A bridge's bus runs inside its stack's box, so it is drawn over the box. */}
          {scene.wires.map((w) => (isBus(w) ? <WireLine key={w.id} w={w} anchors={anchors} /> : null))}
        </g>
      </svg>
    </div>
  );
});
