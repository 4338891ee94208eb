"use client";
import { useMemo } from "react";
import { stackTitles } from "../lib/stack-names";
import { useHost } from "./use-host";

/** `net:<inode>` -> the stack's name by the shared resolver, from the host's current inventory
 * (for panels whose own data carry only netns names: plans, outcomes, history). */
export function useStackTitles(): ReadonlyMap<string, string> {
  const { inventory } = useHost();
  return useMemo(() => (inventory ? stackTitles(inventory) : new Map<string, string>()), [inventory]);
}
