"use client";
import Link from "next/link";
import { Suspense, useState } from "react";
import { AuditNavLink } from "./audit/audit-nav-link";
import { ConnectionIndicator } from "./connection-indicator";
import { SearchBox } from "./search-box";
import { ShortcutsHelp } from "./shortcuts-help";
import { ThemeToggle } from "./theme-toggle";
import { useWide } from "./use-wide";

async function logout() {
  await fetch("/api/v1/session", { method: "DELETE" });
  window.location.assign("/login");
}

/** The sticky header; on a phone the search box folds into a button that opens it in a row
 * of its own, so nothing in the header squeezes or scrolls sideways. */
export function AppHeader() {
  const wide = useWide();
  const [searchOpen, setSearchOpen] = useState(false);
  return (
    <header className="sticky top-0 z-20 flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-200 bg-white/90 px-4 py-2 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
      <Link href="/" className="text-lg font-semibold tracking-tight">
        ns<span className="text-indigo-600 dark:text-indigo-400">atlas</span>
      </Link>
      {wide && (
        <Suspense>
          <SearchBox />
        </Suspense>
      )}
      <div className="ml-auto flex items-center gap-2 md:gap-3">
        {!wide && (
          <button
            type="button"
            className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
            aria-expanded={searchOpen}
            aria-controls="header-search"
            onClick={() => setSearchOpen(!searchOpen)}
          >
            Search
          </button>
        )}
        {/* The audit log link and the read-only mark (src/client/audit). */}
        <AuditNavLink />
        <ConnectionIndicator compact={!wide} />
        <ThemeToggle />
        <ShortcutsHelp />
        <button
          type="button"
          onClick={() => void logout()}
          className="rounded-md px-2 py-1 text-sm whitespace-nowrap text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          Log out
        </button>
      </div>
      {!wide && searchOpen && (
        <div id="header-search" className="w-full">
          <Suspense>
            <SearchBox autoFocus onSubmitted={() => setSearchOpen(false)} />
          </Suspense>
        </div>
      )}
    </header>
  );
}
