"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";

/** Whether the current user may act on a host, and why not. Only mirrors the server, which
 * refuses on its own: hiding a button is a courtesy, never the enforcement. */
export function useActionPolicy(hostId: string) {
  const trpc = useTRPC();
  const q = useQuery(trpc.actions.policy.queryOptions({ hostId }, { staleTime: 10_000 }));
  return { mayAct: q.data?.mayAct ?? false, reason: q.data?.reason ?? null, pending: q.isPending };
}
