"use client";
import { useEffect, useRef, useState } from "react";
import type { StackCard } from "../../lib/stack-cards";

const FLASH_MS = 2_500;

/** What a card is about, compared between inventories to tell a changed card: its names,
 * holders other than processes, links with their state and addresses, ports and findings.
 * Processes coming and going are not a change worth a glow (the initial stack has them
 * every second). */
function signature(c: StackCard): string {
  const links = (c.stack?.links ?? []).map(
    (l) => `${l.name}/${l.state}/${l.peer?.ns ?? ""}/${l.addresses.map((a) => a.address).join(",")}`,
  );
  const ports = (c.stack?.listening ?? []).map((s) => `${s.proto}${s.address}:${s.port}`);
  const holders = c.reasons.filter((r) => r.kind !== "process").map((r) => r.text);
  return [c.title, ...holders, ...links, ...ports, ...c.findings.map((f) => f.code)].join("|");
}

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
