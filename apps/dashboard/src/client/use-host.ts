"use client";
import { useQuery } from "@tanstack/react-query";
import { useParams, usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import type { UiInventory } from "../lib/inventory-types";
import { retainHost } from "./shown-hosts";
import { useTRPC } from "./trpc";

/** The host of the current route (/hosts/[id]/…) with its inventory, fetched once and then
 * kept current by the live changes of that host (providers.tsx applies them to this query). */
export function useHost() {
  const { id } = useParams<{ id: string }>();
  const hostId = decodeURIComponent(id);
  const trpc = useTRPC();
  // Never stale while shown: every change arrives on the live stream; a gap refetches.
  const q = useQuery({ ...trpc.hosts.inventory.queryOptions({ id: hostId }), staleTime: Number.POSITIVE_INFINITY });
  const loaded = q.data !== undefined;
  // Followed once loaded, so that the subscription resumes from the fetched position instead
  // of sending the whole inventory a second time.
  useEffect(() => (loaded ? retainHost(hostId) : undefined), [hostId, loaded]);
  return {
    hostId,
    query: q,
    summary: q.data?.summary ?? null,
    inventory: (q.data?.inventory ?? null) as UiInventory | null,
  };
}

/** useHost for a page driven by its search params: those, the router and path to change them,
 * and the `filter` param. */
export function useHostPage() {
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  return { ...useHost(), params, router, path, filter: params.get("filter") ?? "" };
}
