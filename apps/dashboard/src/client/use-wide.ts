"use client";
import { useSyncExternalStore } from "react";

const QUERY = "(min-width: 768px)";

const subscribe = (onChange: () => void) => {
  const m = window.matchMedia(QUERY);
  m.addEventListener("change", onChange);
  return () => m.removeEventListener("change", onChange);
};

/** Whether the window is at least tailwind's `md` wide (768 px): below it, tables are cards. */
export function useWide(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(QUERY).matches,
    () => true,
  );
}
