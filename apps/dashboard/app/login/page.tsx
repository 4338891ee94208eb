"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useState } from "react";

async function login(token: string): Promise<string | null> {
  const r = await fetch("/api/v1/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  if (r.status === 204) return null;
  const body = (await r.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `login failed (HTTP ${r.status})`;
}

export default function LoginPage() {
  const router = useRouter();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = useCallback(
    async (t: string) => {
      setBusy(true);
      setError(null);
      const err = await login(t.trim());
      setBusy(false);
      if (err) setError(err);
      else router.replace("/");
    },
    [router],
  );

  // `#token=…` logs in with one click; the fragment never reaches a server log.
  useEffect(() => {
    const m = /(?:^|[#&])token=([^&]+)/.exec(window.location.hash);
    if (!m?.[1]) return;
    const t = decodeURIComponent(m[1]);
    history.replaceState(null, "", "/login");
    void submit(t);
  }, [submit]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) void submit(token);
  };

  return (
    <main className="mx-auto mt-24 max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="mb-1 text-2xl font-semibold">nsatlas</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">Sign in with an access token.</p>
      <form onSubmit={onSubmit} className="space-y-4">
        <label className="block text-sm font-medium">
          Token
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm dark:border-slate-700 dark:bg-slate-950"
            placeholder="nsa_…"
            aria-label="Access token"
          />
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={busy || !token.trim()}
          className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="mt-6 text-xs text-slate-600 dark:text-slate-400">
        The first start of the server printed an admin token and a one-click link; it is also kept in the data dir as
        admin.token. Create more with <code className="font-mono">nsatlas token create</code>.
      </p>
    </main>
  );
}
