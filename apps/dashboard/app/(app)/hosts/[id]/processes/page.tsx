"use client";
import type { NamespaceType, Process } from "@nsatlas/protocol";
import { useVirtualizer } from "@tanstack/react-virtual";
import { Suspense, useMemo, useRef } from "react";
import { downloadCsv } from "#client/export.ts";
import { HoverLink } from "#client/hover-link.tsx";
import { ShareMatrixView } from "#client/processes/share-matrix-view.tsx";
import { Empty, ErrorNote, Loading } from "#client/ui.tsx";
import { useHostPage } from "#client/use-host.ts";
import { useStackTitles } from "#client/use-stack-titles.ts";
import { useWide } from "#client/use-wide.ts";
import { commandLine, PROCESS_SORT_KEYS, type ProcessSortKey, processRows, stackOf } from "#lib/process-rows.ts";
import { FACET_KEYS, facetFilterFrom, facetsOf, groupOf, matchesFacets } from "#lib/stack-cards.ts";

// A row is one line on a wide screen; on a phone it becomes a small two-line card.
const ROW = 30;
const CARD_ROW = 64;
const COLUMNS = "grid-cols-[2rem_5rem_5rem_7rem_1fr_10rem_12rem]";
const HEADERS: Array<[ProcessSortKey | null, string]> = [
  ["pid", "pid"],
  ["ppid", "ppid"],
  ["user", "user"],
  ["command", "command"],
  ["stack", "stack"],
  [null, "own namespaces"],
];

function ProcessesView() {
  const { hostId, query, inventory, params, router, path, filter } = useHostPage();
  const kernelThreads = params.get("kthreads") === "1";
  const sortParam = params.get("sort") ?? "group";
  const sort = (PROCESS_SORT_KEYS as readonly string[]).includes(sortParam) ? (sortParam as ProcessSortKey) : "group";
  const descending = params.get("desc") === "1";
  const titles = useStackTitles();
  const wide = useWide();
  const selected = useMemo(
    () => new Set((params.get("select") ?? "").split(",").filter(Boolean).map(Number)),
    [params],
  );
  const facetText = FACET_KEYS.map((k) => `${k}=${params.get(k) ?? ""}`).join("&");
  // biome-ignore lint/correctness/useExhaustiveDependencies: facetText is what facets depend on
  const facets = useMemo(() => facetFilterFrom(params), [facetText]);
  // Grouped as stack cards group them (pod, container, command) unless sorted by a column;
  // filtered by text and facets.
  const shown = useMemo(
    () =>
      processRows(
        (inventory?.processes ?? []).filter((p) => matchesFacets(facetsOf([p]), facets)),
        { filter, kernelThreads, sort, descending },
        titles,
      ),
    [inventory, filter, facets, kernelThreads, sort, descending, titles],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => (wide ? ROW : CARD_ROW),
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
  const setParams = (next: {
    filter?: string;
    select?: Set<number>;
    [key: string]: string | Set<number> | undefined;
  }) => {
    const q = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) if (typeof v === "string") v ? q.set(k, v) : q.delete(k);
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
          placeholder="Filter: pid, command, arguments, user, stack…"
          aria-label="Filter processes"
          className="w-full max-w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <label className="flex items-center gap-1.5 text-sm">
          <input
            type="checkbox"
            checked={kernelThreads}
            onChange={(e) => setParams({ kthreads: e.target.checked ? "1" : "" })}
          />
          kernel threads
        </label>
        <span className="text-sm text-slate-600 dark:text-slate-400" data-testid="process-count">
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
      {selectedProcs.length > 0 && (
        <ShareMatrixView processes={selectedProcs} initial={initial} base={base} titles={titles} />
      )}
      <div
        role="toolbar"
        aria-label="Sort processes"
        className={`flex flex-wrap gap-x-3 border-b border-slate-200 px-2 py-1 text-xs uppercase text-slate-600 md:grid dark:border-slate-800 dark:text-slate-400 ${COLUMNS}`}
      >
        <span className="hidden md:block" />
        {HEADERS.map(([key, label]) =>
          key ? (
            <button
              key={label}
              type="button"
              className={`text-left uppercase hover:text-indigo-700 dark:hover:text-indigo-300 ${sort === key ? "font-semibold text-indigo-700 dark:text-indigo-300" : ""}`}
              aria-pressed={sort === key}
              title={`Sort by ${label}`}
              onClick={() =>
                setParams(
                  sort === key ? (descending ? { sort: "", desc: "" } : { desc: "1" }) : { sort: key, desc: "" },
                )
              }
            >
              {label}
              {sort === key ? (descending ? " ▼" : " ▲") : ""}
            </button>
          ) : (
            <span key={label} className="hidden md:block">
              {label}
            </span>
          ),
        )}
      </div>
      <div ref={scroller} className="h-[60vh] overflow-auto" data-testid="process-list">
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((row) => {
            const p = shown[row.index] as Process;
            return (
              <div
                key={p.pid}
                data-nav-item=""
                tabIndex={-1}
                className={`absolute left-0 grid w-full items-center gap-x-2 border-b border-slate-100 px-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-slate-900 ${wide ? COLUMNS : "grid-cols-[2rem_5rem_1fr]"}`}
                style={{ height: wide ? ROW : CARD_ROW, transform: `translateY(${row.start}px)` }}
              >
                <input
                  type="checkbox"
                  checked={selected.has(p.pid)}
                  onChange={() => toggle(p.pid)}
                  aria-label={`select ${p.pid}`}
                />
                <HoverLink
                  className="text-indigo-700 hover:underline dark:text-indigo-300"
                  href={`${base}/processes/${p.pid}`}
                  data-nav-primary=""
                >
                  {p.pid}
                </HoverLink>
                {wide && <span className="text-slate-600 dark:text-slate-400">{p.ppid}</span>}
                <span className="truncate">{p.user ?? p.uid}</span>
                <span className={`truncate font-mono text-xs ${wide ? "" : "col-span-3"}`} title={p.cmdline.join(" ")}>
                  {groupOf(p).kind !== "command" && (
                    <span className="mr-2 rounded bg-slate-100 px-1 font-sans text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                      {groupOf(p).key}
                    </span>
                  )}
                  {commandLine(p)}
                </span>
                <span className={`truncate text-xs ${wide ? "" : "col-span-3"}`} data-testid="process-stack">
                  {wide ? "" : "stack "}
                  {stackOf(p, titles)}
                  {!wide && ` · own ${nonInitial(p).join(" ") || "—"}`}
                </span>
                {wide && (
                  <span className="truncate text-xs text-slate-600 dark:text-slate-400">
                    {nonInitial(p).join(" ") || "—"}
                  </span>
                )}
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
