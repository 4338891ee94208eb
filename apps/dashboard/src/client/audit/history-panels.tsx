"use client";
import type { HistoryDiff, InventoryAt } from "@nsatlas/protocol";
import { useQuery } from "@tanstack/react-query";
import { rowText, type TimelineRow, timelineEntries } from "../../lib/history-entries";
import { useTRPC } from "../trpc";
import { Badge, Card, Empty, ErrorNote, Loading } from "../ui";
import { useStackTitles } from "../use-stack-titles";

// The three panels of a host's history: timeline, "as of" a time, difference of two times.

function Change({ r }: { r: Pick<TimelineRow, "change" | "kind" | "text"> }) {
  return (
    <li className="flex items-baseline gap-2 text-sm">
      <Badge tone={r.change === "appeared" ? "emerald" : "red"}>
        {r.change === "appeared" ? "+" : "−"} {r.kind}
      </Badge>
      <span className="font-mono text-xs break-all">{r.text}</span>
    </li>
  );
}

const secondText = (iso: string) =>
  new Date(`${iso}Z`).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });

export function Timeline({
  hostId,
  from,
  to,
  kind,
  firstSeen,
}: {
  hostId: string;
  from: number;
  to: number;
  kind: string;
  firstSeen: string | null;
}) {
  const trpc = useTRPC();
  const titles = useStackTitles();
  const q = useQuery(trpc.history.events.queryOptions({ hostId, from, to, limit: 5000 }));
  if (q.isPending) return <Loading what="the history" />;
  if (q.error) return <ErrorNote error={q.error} />;
  const entries = timelineEntries(
    q.data.events.filter((e) => !kind || e.kind === kind),
    titles,
    firstSeen,
  );
  if (entries.length === 0) return <Empty>Nothing appeared or disappeared in this window.</Empty>;
  return (
    <ol className="space-y-3 border-l-2 border-slate-200 pl-4 dark:border-slate-800" data-testid="timeline">
      {entries.map((entry) => {
        const rows = (
          <ul>
            {entry.rows.map((r) => (
              <Change key={r.key} r={r} />
            ))}
          </ul>
        );
        return (
          <li key={entry.second} data-testid="timeline-entry">
            <p className="text-xs font-semibold text-slate-600 dark:text-slate-400">
              {secondText(entry.second)}
              {entry.first && " · first inventory of this host"}
            </p>
            {entry.summary ? (
              <details>
                <summary className="cursor-pointer text-sm" data-testid="timeline-burst">
                  {entry.rows.length} changes: {entry.summary}
                </summary>
                {rows}
              </details>
            ) : (
              rows
            )}
          </li>
        );
      })}
      {q.data.truncated && (
        <li className="text-xs text-amber-800 dark:text-amber-300">More events fell in this window: narrow it.</li>
      )}
    </ol>
  );
}

export function AsOf({ inv }: { inv: InventoryAt }) {
  // Names of stacks that still exist come from the resolver (containers, pods); the record
  // itself holds only netns names.
  const titles = useStackTitles();
  const counts = new Map<string, number>();
  for (const n of inv.namespaces) counts.set(n.type, (counts.get(n.type) ?? 0) + 1);
  return (
    <div className="space-y-3" data-testid="as-of">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {[...counts].map(([t, n]) => `${n} ${t}`).join(" · ") || "No namespaces recorded at this time."}
      </p>
      {inv.stacks.map((s) => (
        <Card key={s.ns}>
          <h3 className="font-semibold">
            {titles.get(s.ns) ??
              (s.names.join(", ") || (inv.namespaces.find((n) => n.id === s.ns)?.initial ? "initial" : "unnamed"))}{" "}
            <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{s.ns}</span>
          </h3>
          <ul className="mt-1 font-mono text-xs">
            {s.links.map((l) => (
              <li key={`${l.ifindex}${l.name}`}>
                {l.name} <span className="text-slate-600 dark:text-slate-400">({l.kind})</span>{" "}
                {l.addresses.map((a) => a.address).join(" ")}
              </li>
            ))}
          </ul>
        </Card>
      ))}
    </div>
  );
}

export function Diff({ diff }: { diff: HistoryDiff }) {
  const titles = useStackTitles();
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="history-diff">
      <Card>
        <h3 className="mb-2 font-semibold">Appeared ({diff.appeared.length})</h3>
        <ul>
          {diff.appeared.map((e) => (
            <Change key={e.key} r={{ change: "appeared", kind: e.kind, text: rowText(e, titles) }} />
          ))}
        </ul>
      </Card>
      <Card>
        <h3 className="mb-2 font-semibold">Disappeared ({diff.disappeared.length})</h3>
        <ul>
          {diff.disappeared.map((e) => (
            <Change key={e.key} r={{ change: "disappeared", kind: e.kind, text: rowText(e, titles) }} />
          ))}
        </ul>
      </Card>
    </div>
  );
}
