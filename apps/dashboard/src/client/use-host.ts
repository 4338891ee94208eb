"use client";
import { useQuery } from "@tanstack/react-query";
import { useParams, usePathname, useRouter, useSearchParams } from "next/navigation";
import type { UiInventory } from "../lib/inventory-types";
import { useTRPC } from "./trpc";

/** The host of the current route (/hosts/[id]/…) with its inventory, kept fresh by live events. */
export function useHost() {
  const { id } = useParams<{ id: string }>();
  const hostId = decodeURIComponent(id);
  const trpc = useTRPC();
  const q = useQuery(trpc.hosts.inventory.queryOptions({ id: hostId }));
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
