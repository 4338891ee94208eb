"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState } from "react";

/** One box for name, pid, command, IP, port, interface or inode; `/` focuses it. */
export function SearchBox({ autoFocus = false, onSubmitted }: { autoFocus?: boolean; onSubmitted?: () => void } = {}) {
  const router = useRouter();
  const params = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== "/" || target?.closest("input, textarea, select, [contenteditable]")) return;
      e.preventDefault();
      input.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    router.push(`/search?q=${encodeURIComponent(q.trim())}`);
    onSubmitted?.();
  };
  return (
    <search className="min-w-0 max-w-md flex-1">
      <form onSubmit={submit}>
        <input
          ref={input}
          // biome-ignore lint/a11y/noAutofocus: opened by the user's own tap on "Search"
          autoFocus={autoFocus}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Search name, pid, command, IP, port, interface, inode   ( / )"
          aria-label="Search"
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </form>
    </search>
  );
}
