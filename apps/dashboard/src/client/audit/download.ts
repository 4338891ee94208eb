"use client";

/** Fetches a REST export with the session cookie and saves it under `filename`. */
export async function downloadFromApi(path: string, filename: string): Promise<void> {
  const r = await fetch(path, { credentials: "same-origin" });
  if (!r.ok) {
    const body = (await r.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${r.status}`);
  }
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
