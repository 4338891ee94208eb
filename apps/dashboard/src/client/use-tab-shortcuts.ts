"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** `g` then a letter jumps between a host's views (o, s, n, p, t), as in many web apps;
 * keys typed into a field are left alone. */
export function useTabShortcuts(base: string, keys: Record<string, string>): void {
  const router = useRouter();
  useEffect(() => {
    let armed = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.target as HTMLElement | null)?.closest("input, textarea, select"))
        return;
      if (e.key === "g") {
        armed = Date.now();
        return;
      }
      const seg = keys[e.key];
      if (seg !== undefined && Date.now() - armed < 1_500) {
        armed = 0;
        router.push(seg ? `${base}/${seg}` : base);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [base, keys, router]);
}
