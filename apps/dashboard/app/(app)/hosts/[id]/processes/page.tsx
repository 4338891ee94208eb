"use client";
import type { NamespaceType, Process } from "@nsatlas/protocol";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useMemo, useRef } from "react";
import { downloadCsv } from "../../../../../src/client/export";
import { ShareMatrixView } from "../../../../../src/client/processes/share-matrix-view";
import { Empty, ErrorNote, Loading } from "../../../../../src/client/ui";
import { useHost } from "../../../../../src/client/use-host";
import {
  FACET_KEYS,
  facetFilterFrom,
  facetsOf,
  groupOf,
  matchesFacets,
  sortByGroup,
} from "../../../../../src/lib/stack-cards";

const ROW = 30;

function ProcessesView() {
  const { hostId, query, inventory } = useHost();
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const filter = (params.get("filter") ?? "").toLowerCase();
  const selected = useMemo(
    () => new Set((params.get("select") ?? "").split(",").filter(Boolean).map(Number)),
    [params],
  );
  const facetText = FACET_KEYS.map((k) => `${k}=${params.get(k) ?? ""}`).join("&");
  // biome-ignore lint/correctness/useExhaustiveDependencies: facetText is what facets depend on
  const facets = useMemo(() => facetFilterFrom(params), [facetText]);
  // Grouped as stack cards group them (pod, container, command); filtered by text and facets.
  const shown = useMemo(
    () =>
      sortByGroup(
        (inventory?.processes ?? []).filter(
          (p) =>
            (!filter ||
              `${p.pid} ${p.comm} ${p.cmdline.join(" ")} ${p.user ?? p.uid} ${p.container?.name ?? ""}`
                .toLowerCase()
                .includes(filter)) &&
            matchesFacets(facetsOf([p]), facets),
        ),
      ),
    [inventory, filter, facets],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 20,
  });
  const initial = useMemo(
    () =>
      new Map<NamespaceType, number>(
        (inventory?.namespaces ?? []).filter((n) => n.initial).map((n) => [n.type, n.inode]),
      ),
    [inventory],
  );
  if (query.isPending) return <Loading what="processes" />;
  if (query.error) return <ErrorNote error={query.error} />;
  if (!inventory) return <Empty>No inventory yet.</Empty>;
  const base = `/hosts/${encodeURIComponent(hostId)}`;
  const setParams = (next: { filter?: string; select?: Set<number> }) => {
    const q = new URLSearchParams(params);
    if (next.filter !== undefined) next.filter ? q.set("filter", next.filter) : q.delete("filter");
    if (next.select) next.select.size ? q.set("select", [...next.select].join(",")) : q.delete("select");
    router.replace(`${path}?${q}`);
  };
  const toggle = (pid: number) => {
    const s = new Set(selected);
    if (s.has(pid)) s.delete(pid);
    else s.add(pid);
    setParams({ select: s });
  };
  const selectedProcs = inventory.processes.filter((p) => selected.has(p.pid));
  const nonInitial = (p: Process) =>
    (Object.entries(p.ns) as Array<[NamespaceType, number]>)
      .filter(([t, ino]) => initial.get(t) !== ino)
      .map(([t]) => t);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <input
          defaultValue={params.get("filter") ?? ""}
          onChange={(e) => setParams({ filter: e.target.value })}
          placeholder="Filter: pid, command, user…"
          aria-label="Filter processes"
          className="w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <span className="text-sm text-slate-500">
          {shown.length} of {inventory.processes.length} processes · tick processes to compare their namespaces
        </span>
        <button
          type="button"
          className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700"
          onClick={() =>
            downloadCsv(`processes-${hostId}.csv`, [
              ["pid", "ppid", "user", "comm", "cmdline", ...Object.keys(shown[0]?.ns ?? {})],
              ...shown.map((p) => [
                p.pid,
                p.ppid,
                p.user ?? p.uid,
                p.comm,
                p.cmdline.join(" "),
                ...Object.values(p.ns).map((inode) => inode ?? ""),
              ]),
            ])
          }
        >
          Export CSV
        </button>
      </div>
      {selectedProcs.length > 0 && <ShareMatrixView processes={selectedProcs} initial={initial} base={base} />}
      <div className="grid grid-cols-[2rem_5rem_5rem_7rem_1fr_14rem] border-b border-slate-200 px-2 py-1 text-xs uppercase text-slate-500 dark:border-slate-800">
        <span />
        <span>pid</span>
        <span>ppid</span>
        <span>user</span>
        <span>command</span>
        <span>own namespaces</span>
      </div>
      <div ref={scroller} className="h-[60vh] overflow-auto" data-testid="process-list">
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((row) => {
            const p = shown[row.index] as Process;
            return (
              <div
                key={p.pid}
                className="absolute left-0 grid w-full grid-cols-[2rem_5rem_5rem_7rem_1fr_14rem] items-center border-b border-slate-100 px-2 text-sm dark:border-slate-900"
                style={{ height: ROW, transform: `translateY(${row.start}px)` }}
              >
                <input
                  type="checkbox"
                  checked={selected.has(p.pid)}
                  onChange={() => toggle(p.pid)}
                  aria-label={`select ${p.pid}`}
                />
                <Link
                  className="text-indigo-700 hover:underline dark:text-indigo-300"
                  href={`${base}/processes/${p.pid}`}
                >
                  {p.pid}
                </Link>
                <span className="text-slate-500">{p.ppid}</span>
                <span className="truncate">{p.user ?? p.uid}</span>
                <span className="truncate font-mono text-xs" title={p.cmdline.join(" ")}>
                  {groupOf(p).kind !== "command" && (
                    <span className="mr-2 rounded bg-slate-100 px-1 font-sans text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                      {groupOf(p).key}
                    </span>
                  )}
                  {p.cmdline.join(" ") || `[${p.comm}]`}
                </span>
                <span className="truncate text-xs text-slate-500">{nonInitial(p).join(" ") || "—"}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export default function ProcessesPage() {
  return (
    <Suspense>
      <ProcessesView />
    </Suspense>
  );
}
