"use client";
import type { Link as NetLink, NetStack } from "@nsatlas/protocol";
import type { StackCard as Card } from "../../lib/stack-cards";
import { StackActions } from "../actions/stack-actions";
import { HoverLink } from "../hover-link";
import { Badge } from "../ui";
import { HowToFree } from "./how-to-free";

function LinkRow({ link, base, titles }: { link: NetLink; base: string; titles: ReadonlyMap<string, string> }) {
  return (
    <li className="py-1">
      <span className="font-mono font-medium">{link.name}</span> <Badge>{link.kind}</Badge>{" "}
      <span
        className={`text-xs ${link.state === "UP" ? "text-emerald-700 dark:text-emerald-400" : "text-slate-600 dark:text-slate-400"}`}
      >
        {link.state}
      </span>
      {link.master && <span className="text-xs text-slate-600 dark:text-slate-400"> · port of {link.master}</span>}
      {link.peer && (
        <span className="text-xs">
          {" "}
          ⇄ {/* A plain anchor: the hash change reaches the virtualised list, which scrolls to the card. */}
          <a className="text-indigo-700 hover:underline dark:text-indigo-300" href={`${base}/stacks#${link.peer.ns}`}>
            {link.peer.name} in {titles.get(link.peer.ns) ?? link.peer.ns}
          </a>
        </span>
      )}
      {link.tunOwners.length > 0 && (
        <span className="text-xs text-slate-600 dark:text-slate-400"> · owned by {link.tunOwners.join(", ")}</span>
      )}
      {link.addresses.length > 0 && (
        <div className="ml-4 font-mono text-xs break-all text-slate-600 dark:text-slate-400">
          {link.addresses.map((a) => `${a.address}/${a.prefixlen}`).join("  ")}
        </div>
      )}
    </li>
  );
}

function StackDetail({ stack, base, titles }: { stack: NetStack; base: string; titles: ReadonlyMap<string, string> }) {
  return (
    <div className="mt-3 grid gap-3 md:grid-cols-2">
      <div>
        <h4 className="text-xs font-semibold uppercase text-slate-600 dark:text-slate-400">Links</h4>
        <ul className="text-sm">
          {stack.links.map((l) => (
            <LinkRow key={l.ifindex} link={l} base={base} titles={titles} />
          ))}
        </ul>
      </div>
      <div className="space-y-3">
        {stack.listening.length > 0 && (
          <div>
            <h4 className="text-xs font-semibold uppercase text-slate-600 dark:text-slate-400">Listening</h4>
            <ul className="font-mono text-xs">
              {stack.listening.map((s) => (
                <li key={`${s.proto}${s.address}${s.port}`}>
                  {s.proto} {s.address.includes(":") ? `[${s.address}]` : s.address}:{s.port}
                  {s.pids.length > 0 && (
                    <span className="text-slate-600 dark:text-slate-400"> ← {s.pids.join(", ")}</span>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
        {Object.keys(stack.files).length > 0 && (
          <div>
            <h4 className="text-xs font-semibold uppercase text-slate-600 dark:text-slate-400">/etc/netns files</h4>
            {Object.entries(stack.files).map(([name, content]) => (
              <details key={name} className="text-xs">
                <summary className="cursor-pointer font-mono">{name}</summary>
                <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-100 p-2 dark:bg-slate-800">{content}</pre>
              </details>
            ))}
          </div>
        )}
        {stack.routes.length > 0 && (
          <details className="text-xs">
            <summary className="cursor-pointer font-semibold uppercase text-slate-600 dark:text-slate-400">
              Routes ({stack.routes.length})
            </summary>
            <ul className="mt-1 font-mono">
              {stack.routes.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: routes have no identity of their own
                <li key={i}>
                  {r.dst}
                  {r.gateway ? ` via ${r.gateway}` : ""}
                  {r.dev ? ` dev ${r.dev}` : ""} {r.table !== "main" ? `table ${r.table}` : ""}
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </div>
  );
}

/** What the list keeps per card across re-mounts (a virtualised card leaves the DOM when
 * scrolled away): whether its detail is folded and whether every process group shows. */
export interface CardUiState {
  collapsed: boolean;
  allGroups: boolean;
}

const GROUPS_SHOWN = 12;

function ProcessGroups({
  card,
  base,
  all,
  onShowAll,
}: {
  card: Card;
  base: string;
  all: boolean;
  onShowAll: (all: boolean) => void;
}) {
  const groups = all ? card.groups : card.groups.slice(0, GROUPS_SHOWN);
  return (
    <div className="mt-2 flex flex-wrap gap-2" data-testid="stack-processes">
      {groups.map((g) => (
        <span
          key={g.label}
          className="max-w-full rounded border border-slate-200 px-2 py-1 text-xs break-words dark:border-slate-700"
          title={g.commands.join("\n")}
        >
          <span className="font-medium">{g.label}</span> ×{g.pids.length}{" "}
          <span className="text-slate-600 dark:text-slate-400">
            {g.pids.slice(0, 6).map((pid, i) => (
              <span key={pid}>
                {i > 0 && ", "}
                {/* One tab stop per group (its first pid), and no prefetch for each of dozens of
                    pid links: a process page is fetched when it is opened. */}
                <HoverLink
                  className="underline decoration-dotted underline-offset-2"
                  href={`${base}/processes/${pid}`}
                  data-pid={pid}
                  tabIndex={i === 0 ? undefined : -1}
                >
                  {pid}
                </HoverLink>
              </span>
            ))}
            {g.pids.length > 6 && "…"}
          </span>
        </span>
      ))}
      {card.groups.length > GROUPS_SHOWN && (
        <button
          type="button"
          className="text-xs text-indigo-700 hover:underline dark:text-indigo-300"
          aria-expanded={all}
          onClick={() => onShowAll(!all)}
        >
          {all ? "show fewer groups" : `and ${card.groups.length - GROUPS_SHOWN} more groups`}
        </button>
      )}
    </div>
  );
}

/** One network stack: who shares it, why it is alive, its links, ports and files. */
export function StackCardView({
  card,
  base,
  titles,
  ui = { collapsed: false, allGroups: false },
  onUi,
  flash = false,
}: {
  card: Card;
  base: string;
  titles: ReadonlyMap<string, string>;
  ui?: CardUiState;
  onUi?: (next: CardUiState) => void;
  /** New or changed since the last inventory, or the target of a link: highlighted a moment. */
  flash?: boolean;
}) {
  const detailId = `detail-${card.id}`;
  return (
    <article
      id={card.id}
      data-testid="stack-card"
      data-stack={card.id}
      data-nav-item=""
      data-flash={flash || undefined}
      tabIndex={-1}
      aria-labelledby={`title-${card.id}`}
      className={`scroll-mt-20 rounded-lg border border-slate-200 bg-white p-4 shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 target:ring-2 target:ring-indigo-500 dark:border-slate-800 dark:bg-slate-900 ${flash ? "nsat-flash" : ""}`}
    >
      <header className="flex flex-wrap items-baseline gap-2">
        <h3 id={`title-${card.id}`} className="min-w-0 text-base font-semibold break-all">
          {card.title}
        </h3>
        {card.initial && <Badge tone="indigo">initial stack</Badge>}
        <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{card.id}</span>
        {card.findings.map((f) => (
          <Badge key={`${f.code}${f.message}`} tone={f.code === "duplicate-address" ? "slate" : "amber"}>
            <span title={f.message}>{f.code}</span>
          </Badge>
        ))}
        {onUi && (
          <button
            type="button"
            data-nav-primary=""
            className="ml-auto rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            aria-expanded={!ui.collapsed}
            aria-controls={detailId}
            onClick={() => onUi({ ...ui, collapsed: !ui.collapsed })}
          >
            {ui.collapsed ? "Show detail" : "Hide detail"}
          </button>
        )}
      </header>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        <span className="font-medium">Alive because of:</span>{" "}
        {card.reasons.map((r) => r.text).join(" · ") || "nothing visible"}
      </p>
      {card.findings.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-xs text-amber-800 dark:text-amber-300">
          {card.findings.map((f) => (
            <li key={`${f.code}${f.message}`}>{f.message}</li>
          ))}
        </ul>
      )}
      <HowToFree card={card} />
      {!ui.collapsed && (
        <div id={detailId}>
          {card.groups.length > 0 && (
            <ProcessGroups
              card={card}
              base={base}
              all={ui.allGroups}
              onShowAll={(allGroups) => onUi?.({ ...ui, allGroups })}
            />
          )}
          {card.stack ? (
            <StackDetail stack={card.stack} base={base} titles={titles} />
          ) : (
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
              No stack detail (the agent runs with --no-netstacks).
            </p>
          )}
        </div>
      )}
      {/* The card's guarded action buttons (src/client/actions),
          shown on a folded card too. */}
      <StackActions card={card} />
    </article>
  );
}
