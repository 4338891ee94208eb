"use client";
import { useEffect } from "react";

/** Keys typed into a field, or with a modifier, are the field's, not the page's. */
export const typingIn = (e: KeyboardEvent) =>
  e.ctrlKey ||
  e.metaKey ||
  e.altKey ||
  !!(e.target as HTMLElement | null)?.closest?.("input, textarea, select, [contenteditable], [role=dialog]");

/** `j` and `k` move focus to the next and previous item of the page's list or cards
 * (`[data-nav-item]`, in document order; a virtualised list mounts the next one as focus
 * scrolls to it); `Enter` on an item activates its main control (`[data-nav-primary]`). */
export function useListKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e)) return;
      const items = [...document.querySelectorAll<HTMLElement>("[data-nav-item]")];
      if (items.length === 0) return;
      const at = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const current = at ? items.findIndex((x) => x === at || x.contains(at)) : -1;
      if (e.key === "j" || e.key === "k") {
        e.preventDefault();
        const step = e.key === "j" ? 1 : -1;
        const next = items[current < 0 ? (step > 0 ? 0 : items.length - 1) : current + step];
        if (!next) return;
        next.focus({ preventScroll: true });
        next.scrollIntoView({ block: "nearest" });
      } else if (e.key === "Enter" && current >= 0 && at === items[current]) {
        e.preventDefault();
        items[current]?.querySelector<HTMLElement>("[data-nav-primary]")?.click();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
