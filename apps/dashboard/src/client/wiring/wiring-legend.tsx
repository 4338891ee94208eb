import { WIRE_KINDS } from "../../lib/wiring-model";
import { DOWN_DASH, WIRE_STYLE } from "./wire-styles";

function Sample({ className, dash, width }: { className: string; dash?: string; width: number }) {
  return (
    <svg width="28" height="10" aria-hidden="true" className="shrink-0">
      <line x1="1" y1="5" x2="27" y2="5" strokeWidth={width} strokeDasharray={dash} className={className} />
    </svg>
  );
}

/** What each kind of wire and mark means. */
export function WiringLegend() {
  return (
    <ul
      aria-label="Legend"
      data-testid="wiring-legend"
      className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-300"
    >
      {WIRE_KINDS.map((k) => (
        <li key={k} className="flex items-center gap-1">
          <Sample {...WIRE_STYLE[k]} />
          {WIRE_STYLE[k].label}
        </li>
      ))}
      <li className="flex items-center gap-1">
        <Sample className="stroke-red-400" dash={DOWN_DASH} width={2} />
        DOWN
      </li>
      <li className="flex items-center gap-1">
        <span className="text-amber-600">⚠</span> finding (duplicate address, leaked stack)
      </li>
    </ul>
  );
}
