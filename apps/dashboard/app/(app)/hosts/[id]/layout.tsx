"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect } from "react";
import { ActionHost } from "#client/actions/action-host.tsx";
import { Badge, relativeTime } from "#client/ui.tsx";
import { useHost } from "#client/use-host.ts";
import { useTabShortcuts } from "#client/use-tab-shortcuts.ts";

const TABS = [
  ["", "Overview", "o"],
  ["stacks", "Network stacks", "s"],
  ["namespaces", "Namespaces", "n"],
  ["processes", "Processes", "p"],
  ["topology", "Topology", "t"],
  ["history", "History", "h"], // app/(app)/hosts/[id]/history
] as const;
const SHORTCUTS = Object.fromEntries(TABS.map(([seg, , key]) => [key, seg]));

export default function HostLayout({ children }: { children: ReactNode }) {
  const { hostId, summary, inventory } = useHost();
  const path = usePathname();
  const base = `/hosts/${encodeURIComponent(hostId)}`;
  useTabShortcuts(base, SHORTCUTS);
  // The tab's title names the view and the host (by hostname, not agent id), so a row of tabs
  // of several hosts can be told apart.
  const view = TABS.find(([seg]) => seg !== "" && path.startsWith(`${base}/${seg}`))?.[1] ?? "Overview";
  const hostTitle = summary?.hostname || hostId;
  // On a phone the tab row scrolls: keep the current tab in sight.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the route changes
  useEffect(() => {
    document
      .querySelector('nav[aria-label="Host views"] [aria-current="page"]')
      ?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [path]);
  useEffect(() => {
    document.title = `${view} · ${hostTitle} · nsatlas`;
  }, [view, hostTitle]);
  return (
    <div>
      <div className="mb-3 flex flex-wrap items-baseline gap-3">
        <h1 className="min-w-0 text-xl font-semibold break-all">{summary?.hostname || hostId}</h1>
        {summary && <Badge tone={summary.state === "connected" ? "emerald" : "amber"}>{summary.state}</Badge>}
        {summary && (
          <span className="text-xs text-slate-600 dark:text-slate-400">updated {relativeTime(summary.lastSeen)}</span>
        )}
        {summary?.kernel && <span className="text-xs text-slate-600 dark:text-slate-400">kernel {summary.kernel}</span>}
      </div>
      {summary?.state === "stale" && (
        <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          This host's agent is not reporting: what you see is its last inventory, from {relativeTime(summary.lastSeen)}.
        </p>
      )}
      {inventory && !inventory.host.privileged && (
        <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          Degraded view: the agent does not run as root, so it sees only the processes its user may read. Namespaces
          held by other users' processes are missing. Run the agent as root for a full view.
        </p>
      )}
      {/* On a phone the tabs scroll inside their own row; the page never scrolls sideways. */}
      <nav
        className="mb-5 flex gap-1 overflow-x-auto border-b border-slate-200 whitespace-nowrap dark:border-slate-800"
        aria-label="Host views"
      >
        {TABS.map(([seg, label, key]) => {
          const href = seg ? `${base}/${seg}` : base;
          const active = seg ? path.startsWith(href) : path === base;
          return (
            <Link
              key={seg}
              href={href}
              title={`g then ${key}`}
              aria-current={active ? "page" : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm ${active ? "border-indigo-600 font-medium text-indigo-700 dark:text-indigo-300" : "border-transparent text-slate-700 hover:text-slate-900 dark:text-slate-300"}`}
            >
              {label}
            </Link>
          );
        })}
      </nav>
      <ActionHost hostId={hostId}>{children}</ActionHost>
    </div>
  );
}
