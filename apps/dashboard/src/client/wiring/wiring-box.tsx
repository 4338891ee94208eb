"use client";
import { BOX, type Rect, rowsOf } from "../../lib/wiring-geometry";
import type { WiringPort } from "../../lib/wiring-model";
import type { SceneBox } from "../../lib/wiring-scene";

export type Hover = { kind: "stack" | "port"; id: string; x: number; y: number } | null;

interface BoxProps {
  box: SceneBox;
  at: Rect;
  /** Port id -> the side of the box its wire leaves from. */
  sides: ReadonlyMap<string, "left" | "right">;
  selected: boolean;
  onHover: (h: Hover) => void;
  onSelect: (kind: "stack" | "port" | "group", id: string) => void;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function PortRow({
  port,
  y,
  indent,
  side,
  props,
}: {
  port: WiringPort;
  y: number;
  indent: number;
  side: "left" | "right";
  props: BoxProps;
}) {
  const w = BOX.width;
  const process = port.kind === "process";
  const dup = port.duplicates.length > 0;
  // Link-local addresses are on every interface; the row shows the others (the cards show all).
  const shown = port.link
    ? port.link.addresses.filter((a) => a.scope !== "link").map((a) => `${a.address}/${a.prefixlen}`)
    : [];
  const address = shown.find((a) => port.duplicates.includes(a)) ?? shown[0];
  const more = shown.length > 1 ? ` +${shown.length - 1}` : "";
  const hover = (e: React.PointerEvent) => props.onHover({ kind: "port", id: port.id, x: e.clientX, y: e.clientY });
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG row cannot be a <button>; it takes focus and Enter
    <g
      data-testid="port"
      data-port={port.id}
      data-name={port.name}
      data-state={port.state}
      data-down={port.down ? "true" : undefined}
      role="button"
      tabIndex={-1}
      className="cursor-pointer"
      onPointerEnter={hover}
      onPointerMove={hover}
      onPointerLeave={() => props.onHover(null)}
      onClick={(e) => {
        e.stopPropagation();
        props.onSelect("port", port.id);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") props.onSelect("port", port.id);
      }}
    >
      <rect
        x={1}
        y={y - BOX.row / 2}
        width={w - 2}
        height={BOX.row}
        className="fill-transparent hover:fill-slate-100 dark:hover:fill-slate-800"
      />
      {!process && (
        <rect
          x={(side === "left" ? 0 : w) - 5}
          y={y - 5}
          width={10}
          height={10}
          rx={port.kind === "bridge" ? 5 : 1.5}
          strokeWidth={1.5}
          strokeDasharray={port.down ? "2 2" : undefined}
          className={
            port.down
              ? "fill-white stroke-red-500 dark:fill-slate-900"
              : port.kind === "bridge"
                ? "fill-slate-500 stroke-slate-600"
                : "fill-indigo-500 stroke-indigo-700 dark:fill-indigo-400"
          }
        />
      )}
      <text
        x={12 + indent}
        y={y + 4}
        className={`text-[11px] ${process ? "fill-amber-700 dark:fill-amber-300" : port.down ? "fill-slate-400" : "fill-slate-800 dark:fill-slate-100"} ${port.kind === "bridge" ? "font-semibold" : ""}`}
      >
        {process ? `⚙ ${cut(port.name, 30)}` : port.link ? cut(port.name, 15) : cut(port.name, 34)}
      </text>
      {address && (
        <text
          x={112 + indent}
          y={y + 4}
          className={`font-mono text-[10px] ${dup ? "fill-amber-600 font-semibold dark:fill-amber-400" : "fill-slate-600 dark:fill-slate-300"}`}
        >
          {dup ? "⚠ " : ""}
          {cut(address, dup ? 16 : 18 - indent / 7)}
          {more}
        </text>
      )}
      {port.link && (
        <text
          x={w - 10}
          y={y + 4}
          textAnchor="end"
          className={`text-[9px] font-semibold ${port.down ? "fill-red-600 dark:fill-red-400" : "fill-emerald-700 dark:fill-emerald-400"}`}
        >
          {port.down ? "DOWN" : port.state === "UP" ? "UP" : cut(port.state, 7)}
        </text>
      )}
    </g>
  );
}

/** A finding's mark in a box's header, right-aligned at x. */
function Badge({ x, y, tone, text }: { x: number; y: number; tone: string; text: string }) {
  return (
    <text x={x} y={y} textAnchor="end" className={`text-[10px] font-bold ${tone}`} data-testid="finding-badge">
      {text}
    </text>
  );
}

/** A stack as a box: its name, badges for its findings, and its interfaces as ports; a bridge's
 * members sit indented in a band under it. A collapsed group is a box of its own. */
export function WiringBox(props: BoxProps) {
  const { box, at, selected } = props;
  const select = (kind: "stack" | "group") => (e: React.MouseEvent | React.KeyboardEvent) => {
    e.stopPropagation();
    props.onSelect(kind, box.id);
  };
  if (box.kind === "group") {
    return (
      // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
      <g
        transform={`translate(${at.x} ${at.y})`}
        data-testid="group-box"
        data-group={box.id}
        role="button"
        tabIndex={0}
        aria-label={`Expand group ${box.label}`}
        className="cursor-pointer"
        onClick={select("group")}
        onKeyDown={(e) => e.key === "Enter" && select("group")(e)}
      >
        <rect
          width={at.width}
          height={at.height}
          rx={8}
          strokeWidth={1.5}
          strokeDasharray="6 3"
          className="fill-slate-50 stroke-slate-500 dark:fill-slate-800"
        />
        <text x={12} y={24} className="fill-slate-900 text-[13px] font-semibold dark:fill-slate-100">
          ▸ {cut(box.label, 26)}
        </text>
        <text x={12} y={BOX.header + BOX.row / 2 + 4} className="fill-slate-600 text-[11px] dark:fill-slate-300">
          {box.members.length} stacks (click to expand)
        </text>
      </g>
    );
  }
  const s = box.stack;
  const rows = rowsOf(s);
  const dups = s.findings.filter((f) => f.code === "duplicate-address").length;
  const bands = rows.filter((r) => r.port.kind === "bridge" && s.ports.some((p) => p.memberOf === r.port.id));
  return (
    <g
      transform={`translate(${at.x} ${at.y})`}
      data-testid="stack-box"
      data-stack={s.id}
      data-title={s.title}
      data-x={Math.round(at.x)}
      data-y={Math.round(at.y)}
      data-leaked={s.leaked ? "true" : undefined}
    >
      <rect
        width={at.width}
        height={at.height}
        rx={8}
        strokeWidth={selected ? 3 : s.initial ? 2.5 : 1.5}
        strokeDasharray={s.leaked ? "6 3" : undefined}
        className={
          s.leaked
            ? "fill-red-50 stroke-red-500 dark:fill-red-950"
            : s.initial
              ? "fill-indigo-50 stroke-indigo-600 dark:fill-indigo-950 dark:stroke-indigo-400"
              : "fill-white stroke-slate-400 dark:fill-slate-900 dark:stroke-slate-500"
        }
      />
      {bands.map((b) => {
        const members = s.ports.filter((p) => p.memberOf === b.port.id).length;
        return (
          <rect
            key={b.port.id}
            x={6}
            y={b.y - BOX.row / 2}
            width={at.width - 12}
            height={(members + 1) * BOX.row}
            rx={5}
            className="fill-slate-100 stroke-slate-300 dark:fill-slate-800/70 dark:stroke-slate-600"
            data-testid="bridge-band"
            data-bridge={b.port.name}
          />
        );
      })}
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG header cannot be a <button> */}
      <g
        role="button"
        tabIndex={0}
        className="cursor-pointer"
        onClick={select("stack")}
        onKeyDown={(e) => e.key === "Enter" && select("stack")(e)}
        onPointerEnter={(e) => props.onHover({ kind: "stack", id: s.id, x: e.clientX, y: e.clientY })}
        onPointerMove={(e) => props.onHover({ kind: "stack", id: s.id, x: e.clientX, y: e.clientY })}
        onPointerLeave={() => props.onHover(null)}
      >
        <rect width={at.width} height={BOX.header - 4} rx={8} className="fill-transparent" />
        <text x={12} y={18} className="fill-slate-900 text-[13px] font-semibold dark:fill-slate-50">
          {cut(s.title, 30)}
        </text>
        <text x={12} y={32} className="fill-slate-500 text-[10px] dark:fill-slate-400">
          {s.processes} processes · {s.ports.filter((p) => p.kind !== "process").length} links
        </text>
        {s.leaked && <Badge x={at.width - 10} y={18} tone="fill-red-600 dark:fill-red-400" text="⚠ leaked" />}
        {dups > 0 && (
          <Badge x={at.width - 10} y={32} tone="fill-amber-600 dark:fill-amber-400" text="⚠ duplicate address" />
        )}
      </g>
      {rows.map((r) => (
        <PortRow
          key={r.port.id}
          port={r.port}
          y={r.y}
          indent={r.indent}
          side={props.sides.get(r.port.id) ?? "left"}
          props={props}
        />
      ))}
    </g>
  );
}
