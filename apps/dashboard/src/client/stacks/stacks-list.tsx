"use client";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { StackCard } from "../../lib/stack-cards";
import { useHashTarget } from "../use-hash-target";
import { type CardUiState, StackCardView } from "./stack-card";
import { StackTableHeader, StackTableRow } from "./stack-table";
import { useChangedCards } from "./use-changed-cards";

const TARGET_MS = 2_500;

/** The stacks of a host as a window-scrolled virtual list: only the cards near the viewport
 * are in the DOM, so 300 stacks cost what a dozen do. Cards (measured, any height) or a
 * compact table; a `#net:<inode>` hash scrolls to its card and highlights it. */
export function StacksList({
  cards,
  base,
  titles,
  mode,
}: {
  cards: readonly StackCard[];
  base: string;
  titles: ReadonlyMap<string, string>;
  mode: "cards" | "table";
}) {
  const list = useRef<HTMLDivElement>(null);
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    setMargin(list.current ? list.current.getBoundingClientRect().top + window.scrollY : 0);
  }, []);
  // The initial stack holds most of the host's processes: its detail starts folded.
  const [ui, setUi] = useState<Record<string, CardUiState>>({});
  const uiOf = (c: StackCard): CardUiState => ui[c.id] ?? { collapsed: c.initial, allGroups: false };
  const changed = useChangedCards(cards);
  const { target, at } = useHashTarget();
  const [highlight, setHighlight] = useState<string | null>(null);
  const virtual = useWindowVirtualizer({
    count: cards.length,
    estimateSize: () => (mode === "table" ? 44 : 220),
    // A few screens' worth of cards around the viewport: find-in-page and tests see the
    // neighbours, and 300 stacks still stay far under the DOM budget.
    overscan: mode === "table" ? 20 : 8,
    scrollMargin: margin,
    getItemKey: (i) => cards[i]?.id ?? i,
  });
  const index = target ? cards.findIndex((c) => c.id === target) : -1;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `at` re-runs it when the same hash is followed again
  useEffect(() => {
    if (index < 0 || !target) return;
    virtual.scrollToIndex(index, { align: "start" });
    setHighlight(target);
    // The card mounts after the scroll; focus it then so the keyboard continues from there.
    const f = setTimeout(() => document.getElementById(target)?.focus({ preventScroll: true }), 150);
    const t = setTimeout(() => setHighlight(null), TARGET_MS);
    return () => {
      clearTimeout(f);
      clearTimeout(t);
    };
  }, [index, target, at]);
  const items = virtual.getVirtualItems();
  const body = items.map((row) => {
    const c = cards[row.index] as StackCard;
    const flash = changed.has(c.id) || highlight === c.id;
    return (
      <div
        key={row.key}
        data-index={row.index}
        ref={virtual.measureElement}
        className={`absolute left-0 w-full ${mode === "table" ? "" : "pb-4"}`}
        style={{ transform: `translateY(${row.start - virtual.options.scrollMargin}px)` }}
      >
        {mode === "table" ? (
          <StackTableRow card={c} base={base} flash={flash} />
        ) : (
          <StackCardView
            card={c}
            base={base}
            titles={titles}
            ui={uiOf(c)}
            onUi={(next) => setUi((old) => ({ ...old, [c.id]: next }))}
            flash={flash}
          />
        )}
      </div>
    );
  });
  return (
    <div>
      {mode === "table" && <StackTableHeader />}
      <div ref={list} style={{ height: virtual.getTotalSize(), position: "relative" }} data-testid="stacks-list">
        {body}
      </div>
    </div>
  );
}
