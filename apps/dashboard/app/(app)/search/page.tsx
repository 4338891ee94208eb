"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { useTRPC } from "#client/trpc.ts";
import { Badge, Empty, ErrorNote, Loading } from "#client/ui.tsx";

function href(m: { hostId: string; stack: { id: string } | null; pid?: number; kind: string }): string {
  const base = `/hosts/${encodeURIComponent(m.hostId)}`;
  if (m.pid !== undefined) return `${base}/processes/${m.pid}`;
  if (m.stack) return `${base}/stacks#${m.stack.id}`;
  return `${base}/namespaces`;
}

function Results() {
  const q = useSearchParams().get("q") ?? "";
  const trpc = useTRPC();
  const res = useQuery(
    trpc.search.query.queryOptions({ q }, { enabled: q.trim().length > 0, select: (d) => d.matches }),
  );
  if (!q.trim()) return <Empty>Type a name, pid, command, IP, port (:22), interface or inode in the box above.</Empty>;
  if (res.isPending) return <Loading what="results" />;
  if (res.error) return <ErrorNote error={res.error} />;
  return (
    <div>
      <h1 className="mb-3 text-lg font-semibold">
        {res.data.length} result{res.data.length === 1 ? "" : "s"} for “{q}”
      </h1>
      {res.data.length === 0 ? (
        <Empty>
          Nothing matches. Search covers stack names, addresses, ports, interfaces, processes, pids, inodes, containers,
          pods and images.
        </Empty>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {res.data.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: results have no identity beyond their position
            <li key={i} data-testid="search-result" className="flex flex-wrap items-baseline gap-2 px-4 py-2 text-sm">
              <Badge>{m.kind}</Badge>
              <Link className="font-mono text-indigo-700 hover:underline dark:text-indigo-300" href={href(m)}>
                {m.text}
              </Link>
              {m.stack && (
                <span className="text-slate-600 dark:text-slate-400">
                  in stack <span className="font-medium">{m.stack.name}</span>
                </span>
              )}
              <span className="ml-auto text-xs text-slate-600 dark:text-slate-400">{m.hostname || m.hostId}</span>
              {m.alsoOn && (
                <span className="w-full text-xs text-slate-600 dark:text-slate-400">
                  the same address is also on {m.alsoOn.join(", ")}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export default function SearchPage() {
  return (
    <Suspense>
      <Results />
    </Suspense>
  );
}
