import type { WireKind } from "../../lib/wiring-model";

/** How each kind of wire looks; the legend draws from the same table. */
export const WIRE_STYLE: Record<WireKind, { label: string; className: string; dash?: string; width: number }> = {
  veth: { label: "veth pair", className: "stroke-indigo-500 dark:stroke-indigo-400", width: 2.2 },
  member: { label: "bridge / bond port", className: "stroke-slate-400 dark:stroke-slate-500", width: 1.5 },
  parent: {
    label: "macvlan / macvtap parent",
    className: "stroke-emerald-600 dark:stroke-emerald-400",
    dash: "7 3",
    width: 2,
  },
  tun: { label: "tun / tap owner", className: "stroke-amber-500 dark:stroke-amber-400", dash: "2 3", width: 2 },
  "cross-stack": {
    label: "other end in another stack",
    className: "stroke-rose-500 dark:stroke-rose-400",
    dash: "9 3 2 3",
    width: 2,
  },
};

/** A DOWN wire or port: faded and dashed, whatever its kind. */
export const DOWN_DASH = "3 4";
