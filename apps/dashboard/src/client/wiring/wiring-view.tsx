"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { UiInventory } from "../../lib/inventory-types";
import { buildStackCards } from "../../lib/stack-cards";
import { buildWiring } from "../../lib/wiring-model";
import { buildScene, GROUP_MODES, type GroupMode } from "../../lib/wiring-scene";
import { useOpenAction } from "../actions/action-host";
import { useActionPolicy } from "../actions/use-action-policy";
import { downloadPng, downloadSvg, svgSnapshot } from "../export";
import { useHost } from "../use-host";
import { useWiringLayout } from "./use-wiring-layout";
import type { Hover } from "./wiring-box";
import { type CanvasHandle, WiringCanvas } from "./wiring-canvas";
import { HoverCard, SelectionCard } from "./wiring-cards";
import { WiringLegend } from "./wiring-legend";

/** Past this many stacks the view starts grouped by name prefix with its groups collapsed. */
const MANY = 80;
const btn =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800";

/** The wiring view: stacks as boxes with their interfaces as ports, laid out off the main
 * thread, with fit, zoom, pan, focus, grouping and export. */
export default function WiringView({ inventory, base }: { inventory: UiInventory; base: string }) {
  const model = useMemo(() => buildWiring(inventory), [inventory]);
  const many = model.stacks.length > MANY;
  // `?group=none|container|pod|prefix` picks the grouping (a link can carry it).
  const [groupBy, setGroupBy] = useState<GroupMode>(() => {
    const asked = new URLSearchParams(window.location.search).get("group");
    return GROUP_MODES.find((g) => g === asked) ?? (many ? "prefix" : "none");
  });
  const [collapsed, setCollapsed] = useState<Set<string> | null>(null);
  const [focus, setFocus] = useState<{ id: string; depth: number } | null>(null);
  const [depth, setDepth] = useState(1);
  const [showLonely, setShowLonely] = useState(false);
  const [hover, setHover] = useState<Hover>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const canvas = useRef<CanvasHandle>(null);
  // The ui benchmark times from here to every box drawn.
  useEffect(() => {
    performance.mark("wiring:mount");
  }, []);

  const baseScene = useMemo(
    () => buildScene(model, { groupBy, collapsed: new Set(), focus, showLonely }),
    [model, groupBy, focus, showLonely],
  );
  // Many stacks: groups start collapsed (a group of five or more), so the first picture stays readable.
  const collapsedNow = useMemo(
    () =>
      collapsed ?? new Set([...baseScene.groups].filter(([, g]) => many && g.members.length >= 5).map(([id]) => id)),
    [collapsed, baseScene, many],
  );
  const scene = useMemo(
    () => buildScene(model, { groupBy, collapsed: collapsedNow, focus, showLonely }),
    [model, groupBy, collapsedNow, focus, showLonely],
  );
  const { positions, stats, pending } = useWiringLayout(scene, groupBy);
  // What is drawn now: a hovered box that went away (collapsed, focused out) sends no pointerleave.
  const drawn = useMemo(
    () =>
      new Set(scene.boxes.flatMap((b) => (b.kind === "stack" ? [b.id, ...b.stack.ports.map((p) => p.id)] : [b.id]))),
    [scene],
  );

  // Fit once the first layout lands, and again when the set of stacks in view is chosen anew.
  const fitted = useRef("");
  const fitKey = `${groupBy}|${focus?.id ?? ""}|${focus?.depth ?? ""}|${showLonely}`;
  useEffect(() => {
    if (pending || positions.size === 0 || fitted.current === fitKey) return;
    fitted.current = fitKey;
    canvas.current?.fit();
  }, [pending, positions, fitKey]);

  const toggleGroup = useCallback(
    (id: string) =>
      setCollapsed(() => {
        const next = new Set(collapsedNow);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [collapsedNow],
  );
  const focusOn = useCallback(
    (id: string) => {
      setFocus({ id, depth });
      setSelected(null);
    },
    [depth],
  );
  const exportAs = (kind: "svg" | "png") => {
    const svg = canvas.current?.svg();
    const area = canvas.current?.bounds();
    if (!svg || !area) return;
    const bg = getComputedStyle(svg.parentElement ?? document.body).backgroundColor;
    const text = svgSnapshot(svg, area, bg);
    if (kind === "svg") downloadSvg("wiring.svg", text);
    else void downloadPng("wiring.png", text, area, bg);
  };
  const { hostId } = useHost();
  const policy = useActionPolicy(hostId);
  const openAction = useOpenAction();
  const cards = useMemo(() => buildStackCards(inventory), [inventory]);
  const capture =
    !policy.pending && policy.mayAct
      ? (stackId: string, link: string) => {
          const card = cards.find((c) => c.id === stackId);
          if (card) openAction("capture", card, { link });
        }
      : undefined;
  const ctx = { focus: focusOn, base, ...(capture ? { capture } : {}) };
  const stacksByTitle = useMemo(() => [...model.stacks].sort((a, b) => a.title.localeCompare(b.title)), [model]);

  return (
    <div className="flex flex-col gap-2" data-testid="wiring-view">
      <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label="Wiring view">
        <button type="button" className={btn} onClick={() => canvas.current?.fit()}>
          Fit
        </button>
        <button type="button" className={btn} aria-label="Zoom in" onClick={() => canvas.current?.zoomBy(1.25)}>
          +
        </button>
        <button type="button" className={btn} aria-label="Zoom out" onClick={() => canvas.current?.zoomBy(0.8)}>
          −
        </button>
        <label className="flex items-center gap-1 text-xs">
          Group by
          <select
            className={btn}
            value={groupBy}
            onChange={(e) => {
              setGroupBy(e.target.value as GroupMode);
              setCollapsed(null);
            }}
          >
            <option value="none">nothing</option>
            <option value="container">container engine</option>
            <option value="pod">pod namespace</option>
            <option value="prefix">name prefix</option>
          </select>
        </label>
        <label className="flex items-center gap-1 text-xs">
          Focus on
          <select
            className={`${btn} max-w-[12rem]`}
            value={focus?.id ?? ""}
            onChange={(e) => setFocus(e.target.value ? { id: e.target.value, depth } : null)}
          >
            <option value="">every stack</option>
            {stacksByTitle.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 text-xs">
          within
          <select
            className={btn}
            value={depth}
            onChange={(e) => {
              const d = Number(e.target.value);
              setDepth(d);
              if (focus) setFocus({ ...focus, depth: d });
            }}
          >
            {[1, 2, 3, 4].map((d) => (
              <option key={d} value={d}>
                {d} {d === 1 ? "wire" : "wires"}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" checked={showLonely} onChange={(e) => setShowLonely(e.target.checked)} />
          stacks without wires
        </label>
        <span className="ml-auto flex gap-2">
          <button type="button" className={btn} onClick={() => exportAs("svg")}>
            Export SVG
          </button>
          <button type="button" className={btn} onClick={() => exportAs("png")}>
            Export PNG
          </button>
        </span>
      </div>
      <WiringLegend />
      <div className="relative flex flex-col gap-2">
        <div className="min-w-0">
          <WiringCanvas
            ref={canvas}
            scene={scene}
            positions={positions}
            selected={selected}
            onHover={setHover}
            onSelect={(kind, id) => {
              if (kind === "group") toggleGroup(id);
              else setSelected(kind ? id : null);
            }}
          />
          <p
            className="mt-1 text-xs text-slate-600 dark:text-slate-400"
            data-testid="wiring-status"
            data-pending={pending ? "true" : "false"}
            data-layout-ms={stats ? Math.round(stats.workerMs) : undefined}
          >
            {scene.boxes.length} boxes of {model.stacks.length} stacks
            {stats ? ` · last layout ${Math.round(stats.workerMs)} ms in a worker` : ""}
            {pending ? " · laying out…" : ""} · drag to pan, wheel or pinch to zoom
          </p>
        </div>
        {selected && (
          <div className="lg:absolute lg:top-2 lg:right-2 lg:z-10 lg:max-h-[calc(65vh-1rem)] lg:w-80 lg:overflow-auto lg:shadow-lg">
            <SelectionCard model={model} id={selected} ctx={ctx} onClose={() => setSelected(null)} />
          </div>
        )}
      </div>
      {hover && drawn.has(hover.id) && <HoverCard model={model} id={hover.id} x={hover.x} y={hover.y} />}
    </div>
  );
}
