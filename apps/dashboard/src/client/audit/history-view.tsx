"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type ReactNode, useState } from "react";
import { useTRPC } from "../trpc";
import { ErrorNote, Loading } from "../ui";
import { downloadFromApi } from "./download";
import { AsOf, Diff, Timeline } from "./history-panels";
import { fromLocalInput, toLocalInput } from "./time-input";

const DAY = 86_400_000;
const VIEWS = [
  ["timeline", "Timeline"],
  ["asof", "As of a time"],
  ["diff", "Difference between two times"],
] as const;
type View = (typeof VIEWS)[number][0];

/** URL-backed parameters of the history view (every view is addressable by URL). */
function useHistoryParams(firstSeen: number | null) {
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const [now] = useState(() => Date.now());
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    router.replace(`${path}?${next.toString()}`);
  };
  const view = (VIEWS.some(([v]) => v === params.get("view")) ? params.get("view") : "timeline") as View;
  const to = fromLocalInput(params.get("to")) ?? now;
  // The diff compares with the host as first seen unless told otherwise; the timeline shows a day.
  const from = fromLocalInput(params.get("from")) ?? (view === "diff" && firstSeen !== null ? firstSeen : to - DAY);
  const at = fromLocalInput(params.get("at")) ?? now;
  return { view, from, to, at, kind: params.get("kind") ?? "", set };
}

function TimeField({ label, value, onChange }: { label: string; value: number; onChange: (ms: string) => void }) {
  return (
    <label className="text-sm">
      {label}{" "}
      <input
        type="datetime-local"
        aria-label={label}
        value={toLocalInput(value)}
        onChange={(e) => onChange(String(fromLocalInput(e.target.value) ?? ""))}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
    </label>
  );
}

function Query<T>({
  q,
  children,
}: {
  q: { isPending: boolean; error: { message: string } | null; data: T | undefined };
  children: (d: T) => ReactNode;
}) {
  if (q.isPending) return <Loading what="the history" />;
  if (q.error) return <ErrorNote error={q.error} />;
  return q.data === undefined ? null : children(q.data);
}

/** A host's history: a timeline of what appeared and disappeared, the host "as of" a time,
 * the difference between two times, and the auditor report of a window (JSON or CSV). */
export function HistoryView({ hostId }: { hostId: string }) {
  const trpc = useTRPC();
  // The host's first recorded change: when the hub first saw it (its first inventory).
  const [epoch] = useState(() => Date.now());
  const first = useQuery(trpc.history.events.queryOptions({ hostId, from: 0, to: epoch, limit: 1 }));
  const firstSeen = first.data?.events[0]?.at ?? null;
  const p = useHistoryParams(firstSeen === null ? null : Date.parse(firstSeen));
  const [reportError, setReportError] = useState<string | null>(null);
  const at = useQuery({ ...trpc.history.at.queryOptions({ hostId, at: p.at }), enabled: p.view === "asof" });
  const diff = useQuery({
    ...trpc.history.diff.queryOptions({ hostId, from: p.from, to: p.to }),
    enabled: p.view === "diff" && !first.isPending,
  });
  const report = (format: "json" | "csv") =>
    downloadFromApi(
      `/api/v1/hosts/${encodeURIComponent(hostId)}/report?from=${p.from}&to=${p.to}&format=${format}`,
      `nsatlas-report-${hostId}.${format}`,
    ).catch((err: Error) => setReportError(err.message));
  const button = "rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700";
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-2">
        {VIEWS.map(([v, label]) => (
          <button
            key={v}
            type="button"
            onClick={() => p.set({ view: v })}
            className={`${button} ${p.view === v ? "border-indigo-500 font-semibold text-indigo-700 dark:text-indigo-300" : ""}`}
          >
            {label}
          </button>
        ))}
        <span className="ml-auto text-xs text-slate-600 dark:text-slate-400">Auditor report of the window:</span>
        <button type="button" className={button} onClick={() => void report("json")}>
          JSON
        </button>
        <button type="button" className={button} onClick={() => void report("csv")}>
          CSV
        </button>
      </div>
      {reportError && <ErrorNote error={{ message: reportError }} />}
      <div className="mb-4 flex flex-wrap items-center gap-4">
        {p.view === "asof" ? (
          <TimeField label="As of" value={p.at} onChange={(v) => p.set({ at: v })} />
        ) : (
          <>
            <TimeField label="From" value={p.from} onChange={(v) => p.set({ from: v })} />
            <TimeField label="To" value={p.to} onChange={(v) => p.set({ to: v })} />
          </>
        )}
        {p.view === "timeline" && (
          <select
            aria-label="Kind"
            value={p.kind}
            onChange={(e) => p.set({ kind: e.target.value })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">every kind</option>
            {["namespace", "stack", "name", "link", "address"].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        )}
      </div>
      {p.view === "timeline" && (
        <Timeline hostId={hostId} from={p.from} to={p.to} kind={p.kind} firstSeen={firstSeen} />
      )}
      {p.view === "asof" && <Query q={at}>{(inv) => <AsOf inv={inv} />}</Query>}
      {p.view === "diff" && <Query q={diff}>{(d) => <Diff diff={d} />}</Query>}
    </div>
  );
}
