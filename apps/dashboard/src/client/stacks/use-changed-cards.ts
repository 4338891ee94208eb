"use client";
import { useEffect, useRef, useState } from "react";
import type { StackCard } from "../../lib/stack-cards";

const FLASH_MS = 2_500;

/** What a card shows, compared between inventories to tell a changed card. */
const signature = (c: StackCard) => `${c.haystack}|${c.findings.map((f) => f.code).join(",")}|${c.reasons.length}`;

/** The ids of cards that appeared or changed in the last few seconds (none on the first
 * inventory: everything is new then, and nothing deserves a highlight). */
export function useChangedCards(cards: readonly StackCard[]): ReadonlySet<string> {
  const seen = useRef<Map<string, string> | null>(null);
  const [flash, setFlash] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const next = new Map(cards.map((c) => [c.id, signature(c)]));
    const before = seen.current;
    seen.current = next;
    if (!before) return;
    const changed = [...next].filter(([id, sig]) => before.get(id) !== sig).map(([id]) => id);
    if (changed.length === 0) return;
    setFlash((old) => new Set([...old, ...changed]));
    const t = setTimeout(() => setFlash((old) => new Set([...old].filter((id) => !changed.includes(id)))), FLASH_MS);
    return () => clearTimeout(t);
  }, [cards]);
  return flash;
}
