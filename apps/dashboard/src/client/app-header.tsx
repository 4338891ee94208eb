"use client";
import Link from "next/link";
import { Suspense } from "react";
import { AuditNavLink } from "./audit/audit-nav-link";
import { ConnectionIndicator } from "./connection-indicator";
import { SearchBox } from "./search-box";
import { ThemeToggle } from "./theme-toggle";

async function logout() {
  await fetch("/api/v1/session", { method: "DELETE" });
  window.location.assign("/login");
}

export function AppHeader() {
  return (
    <header className="sticky top-0 z-20 flex items-center gap-4 border-b border-slate-200 bg-white/90 px-4 py-2 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
      <Link href="/" className="text-lg font-semibold tracking-tight">
        ns<span className="text-indigo-600 dark:text-indigo-400">atlas</span>
      </Link>
      <Suspense>
        <SearchBox />
      </Suspense>
      <div className="ml-auto flex items-center gap-3">
        {/* Issue 6 (owned by src/client/audit): audit log link and read-only mark. */}
        <AuditNavLink />
        <ConnectionIndicator />
        <ThemeToggle />
        <button
          type="button"
          onClick={() => void logout()}
          className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          Log out
        </button>
      </div>
    </header>
  );
}
