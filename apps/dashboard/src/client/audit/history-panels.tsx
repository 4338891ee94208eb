"use client";
import type { HistoryDiff, HistoryEvent, InventoryAt } from "@nsatlas/protocol";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Badge, Card, Empty, ErrorNote, Loading } from "../ui";
import { useStackTitles } from "../use-stack-titles";

// The three panels of a host's history: timeline, "as of" a time, difference of two times.

function Change({ e }: { e: Pick<HistoryEvent, "kind" | "label"> & { change: "appeared" | "disappeared" } }) {
  return (
    <li className="flex items-baseline gap-2 text-sm">
      <Badge tone={e.change === "appeared" ? "emerald" : "red"}>
        {e.change === "appeared" ? "+" : "−"} {e.kind}
      </Badge>
      <span className="font-mono text-xs">{e.label}</span>
    </li>
  );
}

export function Timeline({ hostId, from, to, kind }: { hostId: string; from: number; to: number; kind: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.history.events.queryOptions({ hostId, from, to, limit: 5000 }));
  if (q.isPending) return <Loading what="the history" />;
  if (q.error) return <ErrorNote error={q.error} />;
  const events = q.data.events.filter((e) => !kind || e.kind === kind);
  if (events.length === 0) return <Empty>Nothing appeared or disappeared in this window.</Empty>;
  const bySecond = new Map<string, HistoryEvent[]>();
  for (const e of events) {
    const second = new Date(e.at).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
    bySecond.set(second, [...(bySecond.get(second) ?? []), e]);
  }
  return (
    <ol className="space-y-3 border-l-2 border-slate-200 pl-4 dark:border-slate-800" data-testid="timeline">
      {[...bySecond].map(([second, list]) => (
        <li key={second}>
          <p className="text-xs font-semibold text-slate-600 dark:text-slate-400">{second}</p>
          <ul>
            {list.map((e) => (
              <Change key={`${e.at}${e.change}${e.key}`} e={e} />
            ))}
          </ul>
        </li>
      ))}
      {q.data.truncated && <li className="text-xs text-amber-700">More events fell in this window: narrow it.</li>}
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
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="history-diff">
      <Card>
        <h3 className="mb-2 font-semibold">Appeared ({diff.appeared.length})</h3>
        <ul>
          {diff.appeared.map((e) => (
            <Change key={e.key} e={{ ...e, change: "appeared" }} />
          ))}
        </ul>
      </Card>
      <Card>
        <h3 className="mb-2 font-semibold">Disappeared ({diff.disappeared.length})</h3>
        <ul>
          {diff.disappeared.map((e) => (
            <Change key={e.key} e={{ ...e, change: "disappeared" }} />
          ))}
        </ul>
      </Card>
    </div>
  );
}
