"use client";
import { useEffect, useRef, useState } from "react";
import { useFocusTrap } from "./use-focus-trap";
import { typingIn, useListKeys } from "./use-list-keys";

const SHORTCUTS: Array<[string, string]> = [
  ["/", "search"],
  ["g then o, s, n, p, t, h", "a host's overview, stacks, namespaces, processes, topology, history"],
  ["j / k", "next / previous card or row"],
  ["Enter", "open the focused card or row"],
  ["Esc", "close a dialog"],
  ["?", "this help"],
];

/** The `?` key (or the header's ? button) shows the keyboard shortcuts; also installs the
 * page-wide list keys (j, k, Enter). */
export function ShortcutsHelp() {
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  useListKeys();
  useFocusTrap(panel, open);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
      else if (e.key === "?" && !typingIn(e)) {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <button
        type="button"
        className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={() => setOpen(true)}
      >
        ?
      </button>
      {open && (
        <div className="fixed inset-0 z-40 flex items-start justify-center bg-slate-900/40 p-4 sm:p-8">
          <div
            ref={panel}
            tabIndex={-1}
            role="dialog"
            aria-modal="true"
            aria-label="Keyboard shortcuts"
            data-testid="shortcuts-help"
            className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-5 shadow-xl dark:border-slate-700 dark:bg-slate-900"
          >
            <h2 className="mb-3 text-lg font-semibold">Keyboard shortcuts</h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              {SHORTCUTS.map(([k, what]) => (
                <div key={k} className="contents">
                  <dt>
                    <kbd className="rounded border border-slate-300 px-1.5 font-mono text-xs dark:border-slate-600">
                      {k}
                    </kbd>
                  </dt>
                  <dd className="text-slate-700 dark:text-slate-300">{what}</dd>
                </div>
              ))}
            </dl>
            <button
              type="button"
              className="mt-4 rounded-md border border-slate-300 px-3 py-1 text-sm dark:border-slate-600"
              onClick={() => setOpen(false)}
            >
              Close
            </button>
          </div>
        </div>
      )}
    </>
  );
}
