"use client";
import { type RefObject, useEffect } from "react";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Keeps keyboard focus inside a modal while it is open: focus moves into it on open (its
 * first field, else the panel), Tab and Shift+Tab wrap around inside, and on close focus
 * returns to what had it before. The one trap every dialog of the dashboard uses. */
export function useFocusTrap(panel: RefObject<HTMLElement | null>, open = true): void {
  useEffect(() => {
    const el = panel.current;
    if (!open || !el) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const focusables = () => [...el.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => x.offsetParent !== null);
    const first = el.querySelector<HTMLElement>("[autofocus], input, select, textarea") ?? focusables()[0];
    if (!el.contains(document.activeElement)) (first ?? el).focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Tab") return;
      const all = focusables();
      if (all.length === 0) {
        e.preventDefault();
        el.focus();
        return;
      }
      const head = all[0] as HTMLElement;
      const tail = all[all.length - 1] as HTMLElement;
      const at = document.activeElement;
      if (e.shiftKey && (at === head || !el.contains(at))) {
        e.preventDefault();
        tail.focus();
      } else if (!e.shiftKey && (at === tail || !el.contains(at))) {
        e.preventDefault();
        head.focus();
      }
    };
    // Focus that leaves by a click outside or a script is pulled back in.
    const onFocusIn = (e: FocusEvent) => {
      if (e.target instanceof Node && !el.contains(e.target)) (focusables()[0] ?? el).focus();
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("focusin", onFocusIn);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("focusin", onFocusIn);
      if (before?.isConnected) before.focus();
    };
  }, [panel, open]);
}
