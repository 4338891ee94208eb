"use client";
import { useEffect, useState } from "react";
import { ActionOverlay } from "./actions/action-overlay";
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
  useListKeys();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "?" && !typingIn(e)) {
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
        <ActionOverlay title="Keyboard shortcuts" onClose={() => setOpen(false)}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="shortcuts-help">
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
        </ActionOverlay>
      )}
    </>
  );
}
