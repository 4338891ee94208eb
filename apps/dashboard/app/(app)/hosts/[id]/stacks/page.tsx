"use client";
import { Suspense, useMemo } from "react";
import { downloadJson } from "#client/export.ts";
import { StacksList } from "#client/stacks/stacks-list.tsx";
import { Empty, ErrorNote, Loading } from "#client/ui.tsx";
import { useHostPage } from "#client/use-host.ts";
import { useStackTitles } from "#client/use-stack-titles.ts";
import { buildStackCards, FACET_KEYS, facetFilterFrom, filterCards } from "#lib/stack-cards.ts";

function StacksView() {
  const { hostId, query, inventory, params, router, path, filter } = useHostPage();
  const cards = useMemo(() => (inventory ? buildStackCards(inventory) : []), [inventory]);
  const facetText = FACET_KEYS.map((k) => `${k}=${params.get(k) ?? ""}`).join("&");
  // biome-ignore lint/correctness/useExhaustiveDependencies: facetText is what facets depend on
  const facets = useMemo(() => facetFilterFrom(params), [facetText]);
  const shown = useMemo(() => filterCards(cards, filter, facets), [cards, filter, facets]);
  const titles = useStackTitles();
  const mode = params.get("view") === "table" ? "table" : "cards";
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${path}${next.size > 0 ? `?${next}` : ""}`);
  };
  if (query.isPending) return <Loading what="stacks" />;
  if (query.error) return <ErrorNote error={query.error} />;
  if (!inventory) return <Empty>This host has not sent its first inventory yet.</Empty>;
  const base = `/hosts/${encodeURIComponent(hostId)}`;
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <input
          value={filter}
          onChange={(e) => setParam("filter", e.target.value)}
          placeholder="Filter stacks: name, process, address, port…"
          aria-label="Filter stacks"
          className="w-full max-w-80 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        {Object.entries(facets).map(([k, v]) => (
          <button
            key={k}
            type="button"
            data-testid="facet-filter"
            className="rounded-full border border-indigo-300 px-2 py-0.5 text-xs text-indigo-700 dark:border-indigo-700 dark:text-indigo-300"
            title="Remove this filter"
            onClick={() => {
              const next = new URLSearchParams(params.toString());
              next.delete(k);
              router.replace(`${path}${next.size > 0 ? `?${next}` : ""}`);
            }}
          >
            {k}: {v} ×
          </button>
        ))}
        <span className="text-sm text-slate-600 dark:text-slate-400" data-testid="stacks-count">
          {shown.length} of {cards.length} stacks
        </span>
        <fieldset className="ml-auto flex rounded-md border border-slate-300 text-xs dark:border-slate-700">
          <legend className="sr-only">Show stacks as</legend>
          {(["cards", "table"] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={mode === m}
              className={`px-2 py-1 ${mode === m ? "bg-indigo-600 text-white" : ""}`}
              onClick={() => setParam("view", m === "cards" ? "" : m)}
            >
              {m === "cards" ? "Cards" : "Table"}
            </button>
          ))}
        </fieldset>
        <button
          type="button"
          className="rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700"
          onClick={() =>
            downloadJson(
              `stacks-${hostId}.json`,
              shown.map(({ haystack: _h, ...c }) => c),
            )
          }
        >
          Export JSON
        </button>
      </div>
      {shown.length === 0 ? (
        <Empty>No stack matches “{filter}”.</Empty>
      ) : (
        <StacksList cards={shown} base={base} titles={titles} mode={mode} />
      )}
    </div>
  );
}

export default function StacksPage() {
  return (
    <Suspense>
      <StacksView />
    </Suspense>
  );
}
