"use client";
import type { StackCard } from "../../lib/stack-cards";
import { Badge } from "../ui";

// On a phone the row's cells stack (a row becomes a small card); from md up they are columns.
const COLUMNS = "md:grid md:grid-cols-[minmax(10rem,1.4fr)_5rem_minmax(8rem,1.6fr)_minmax(8rem,1.2fr)_8rem] md:gap-3";

export function StackTableHeader() {
  return (
    <div
      className={`hidden border-b border-slate-200 px-3 py-1 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400 ${COLUMNS}`}
      aria-hidden="true"
    >
      <span>stack</span>
      <span>procs</span>
      <span>alive because of</span>
      <span>links and addresses</span>
      <span>findings</span>
    </div>
  );
}

/** One stack as one compact row of the table mode; its name opens the full card. */
export function StackTableRow({ card, base, flash }: { card: StackCard; base: string; flash: boolean }) {
  const links = card.stack?.links ?? [];
  const addrs = links
    .flatMap((l) => l.addresses.map((a) => a.address))
    .filter((a) => a !== "127.0.0.1" && a !== "::1" && !a.startsWith("fe80:"));
  return (
    <div
      data-testid="stack-row"
      data-stack={card.id}
      data-nav-item=""
      tabIndex={-1}
      className={`border-b border-slate-100 px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-slate-800 ${COLUMNS} ${flash ? "nsat-flash" : ""}`}
    >
      <span className="block min-w-0 truncate">
        {/* A plain anchor: switching to card mode with a hash lands on the card. */}
        <a
          data-nav-primary=""
          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          href={`${base}/stacks?view=cards#${card.id}`}
        >
          {card.title}
        </a>{" "}
        {card.initial && card.title !== "initial" && <Badge tone="indigo">initial</Badge>}
      </span>
      {/* On a phone the "alive because of" line already counts the processes. */}
      <span className="hidden text-slate-600 md:block dark:text-slate-400">{card.processCount}</span>
      <span
        className="block min-w-0 truncate text-slate-600 dark:text-slate-400"
        title={card.reasons.map((r) => r.text).join(" · ")}
      >
        {card.reasons.map((r) => r.text).join(" · ") || "nothing visible"}
      </span>
      <span className="block min-w-0 truncate font-mono text-xs" title={addrs.join(" ")}>
        {links.length} link{links.length === 1 ? "" : "s"}
        {addrs.length > 0 && ` · ${addrs.join(" ")}`}
      </span>
      <span className="block min-w-0 truncate">
        {card.findings.map((f) => (
          <Badge key={`${f.code}${f.message}`} tone="amber">
            <span title={f.message}>{f.code}</span>
          </Badge>
        ))}
      </span>
    </div>
  );
}
