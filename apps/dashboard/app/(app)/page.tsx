"use client";
import type { HostSummary } from "@nsatlas/protocol";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useMemo, useState } from "react";
import { downloadCsv } from "#client/export.ts";
import { useTRPC } from "#client/trpc.ts";
import { Badge, Empty, ErrorNote, Loading, relativeTime } from "#client/ui.tsx";

/** `role=web` matches that label value, `role` any host that has the label. */
function matchesLabels(h: HostSummary, filters: string[]): boolean {
  return filters.every((f) => {
    const [k, v] = f.split("=", 2) as [string, string | undefined];
    return v === undefined ? k in h.labels : h.labels[k] === v;
  });
}

async function removeHost(id: string): Promise<string | null> {
  const r = await fetch(`/api/v1/hosts/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (r.ok) return null;
  const body = (await r.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `HTTP ${r.status}`;
}

function HostsView() {
  const trpc = useTRPC();
  const router = useRouter();
  const path = usePathname();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const hosts = useQuery(trpc.hosts.list.queryOptions(undefined, { select: (d) => d.hosts }));
  const me = useQuery(trpc.session.me.queryOptions());
  const [error, setError] = useState<string | null>(null);
  const filters = params.getAll("label");
  const shown = useMemo(() => (hosts.data ?? []).filter((h) => matchesLabels(h, filters)), [hosts.data, filters]);
  // One host and no filter (the embedded default): go straight to its stacks.
  useEffect(() => {
    if (hosts.data?.length === 1 && hosts.data[0] && filters.length === 0)
      router.replace(`/hosts/${encodeURIComponent(hosts.data[0].id)}/stacks`);
  }, [hosts.data, router, filters.length]);
  if (hosts.isPending) return <Loading what="hosts" />;
  if (hosts.error) return <ErrorNote error={hosts.error} />;
  if (hosts.data.length === 0)
    return <Empty>No agent has connected yet. Start one with nsatlas-agent run --hub ws://…/agent.</Empty>;
  const setFilter = (text: string) => {
    const q = new URLSearchParams();
    for (const f of text.split(/[\s,]+/).filter(Boolean)) q.append("label", f);
    router.replace(`${path}${q.size ? `?${q}` : ""}`);
  };
  const remove = async (h: HostSummary) => {
    if (!window.confirm(`Remove ${h.hostname || h.id} and its last inventory from the dashboard?`)) return;
    setError(await removeHost(h.id));
    void queryClient.invalidateQueries({ queryKey: trpc.hosts.list.queryKey() });
  };
  const isAdmin = me.data?.role === "admin";
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Hosts</h1>
        <input
          defaultValue={filters.join(" ")}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Filter by label: role=web rack"
          aria-label="Filter by label"
          className="w-64 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <span className="text-sm text-slate-600 dark:text-slate-400">
          {shown.length} of {hosts.data.length} hosts · {hosts.data.filter((h) => h.state === "stale").length} stale
        </span>
        <button
          type="button"
          className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700"
          onClick={() =>
            downloadCsv("hosts.csv", [
              [
                "id",
                "hostname",
                "state",
                "lastSeen",
                "lagMs",
                "kernel",
                "readOnly",
                "stacks",
                "namespaces",
                "processes",
                "labels",
              ],
              ...shown.map((h) => [
                h.id,
                h.hostname,
                h.state,
                h.lastSeen,
                h.lagMs ?? "",
                h.kernel ?? "",
                String(h.readOnly),
                h.counts.stacks,
                h.counts.namespaces,
                h.counts.processes,
                Object.entries(h.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(" "),
              ]),
            ])
          }
        >
          Export CSV
        </button>
      </div>
      {error && <ErrorNote error={{ message: error }} />}
      <table className="w-full text-left text-sm [&_td]:px-2 [&_th]:px-2">
        <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
          <tr>
            <th className="py-2">Host</th>
            <th>State</th>
            <th>Last seen</th>
            <th className="text-right">Lag</th>
            <th className="text-right">Stacks</th>
            <th className="text-right">Namespaces</th>
            <th className="text-right">Processes</th>
            <th className="text-right">Findings</th>
            <th>Labels</th>
            <th>Agent</th>
            {isAdmin && <th />}
          </tr>
        </thead>
        <tbody>
          {shown.map((h) => (
            <tr key={h.id} className="border-t border-slate-200 align-top dark:border-slate-800">
              <td className="py-2">
                <Link
                  className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                  href={`/hosts/${encodeURIComponent(h.id)}/stacks`}
                >
                  {h.hostname || h.id}
                </Link>
                <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{h.id}</div>
              </td>
              <td className="space-x-1">
                <Badge tone={h.state === "connected" ? "emerald" : "amber"}>{h.state}</Badge>
                {h.readOnly && <Badge>read-only</Badge>}
                {h.credential === "fleet-token" && <Badge>view-only</Badge>}
              </td>
              <td>{relativeTime(h.lastSeen)}</td>
              <td className="text-right tabular-nums">{h.lagMs === null ? "—" : `${h.lagMs} ms`}</td>
              <td className="text-right tabular-nums">{h.counts.stacks}</td>
              <td className="text-right tabular-nums">{h.counts.namespaces}</td>
              <td className="text-right tabular-nums">{h.counts.processes}</td>
              <td className="text-right tabular-nums">{h.counts.findings}</td>
              <td className="space-x-1">
                {Object.entries(h.labels).map(([k, v]) => (
                  <button key={k} type="button" onClick={() => setFilter(`${k}=${v}`)} title="filter by this label">
                    <Badge>
                      {k}={v}
                    </Badge>
                  </button>
                ))}
              </td>
              <td className="text-xs text-slate-600 dark:text-slate-400">
                {h.agentVersion}
                <div>{h.kernel}</div>
              </td>
              {isAdmin && (
                <td>
                  {h.state === "stale" && (
                    <button
                      type="button"
                      className="text-xs text-red-700 hover:underline dark:text-red-400"
                      onClick={() => void remove(h)}
                    >
                      Remove
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function HostsPage() {
  return (
    <Suspense>
      <HostsView />
    </Suspense>
  );
}
