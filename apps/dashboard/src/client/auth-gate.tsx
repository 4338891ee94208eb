"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type ReactNode, useEffect } from "react";
import { useTRPC } from "./trpc";

/** Sends a visitor without a session to /login; shows children once the session is known. */
export function AuthGate({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.session.me.queryOptions(undefined, { retry: false }));
  const unauthorized = me.error?.data?.code === "UNAUTHORIZED";
  useEffect(() => {
    if (unauthorized) router.replace("/login");
  }, [unauthorized, router]);
  if (me.isPending || unauthorized) return <p className="p-8 text-sm text-slate-600 dark:text-slate-400">Loading…</p>;
  if (me.error) return <p className="p-8 text-sm text-red-600">Cannot reach the server: {me.error.message}</p>;
  return <>{children}</>;
}
