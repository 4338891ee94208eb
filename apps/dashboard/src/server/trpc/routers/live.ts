import type { TRPCRouterRecord } from "@trpc/server";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { authedProcedure } from "../init.js";
import { LiveFeed } from "../live-feed.js";

export type { LiveEvent } from "../live-feed.js";

/** Hosts one subscription may follow: a tab shows one host, or a few side by side. */
export const MAX_LIVE_HOSTS = 16;

const LiveInput = z
  .object({
    /** The hosts whose inventories the tab keeps; absent: every host's summary instead. */
    hostIds: z.array(z.string().min(1).max(128)).max(MAX_LIVE_HOSTS).optional(),
    /** `hostId/epoch/seq` of the last change the tab has (tRPC adds it on reconnect). */
    lastEventId: z.string().max(512).nullish(),
  })
  .optional();

export const liveRouter = {
  /** Fleet changes as they happen (see LiveFeed): each shown host's changes `tracked` by
   * `hostId/epoch/seq`, so a reconnecting tab resumes with lastEventId. */
  events: authedProcedure.input(LiveInput).subscription(async function* ({ ctx, input, signal }) {
    // No host named (absent or []): the fleet's summaries.
    const feed = new LiveFeed(ctx.fleet, input?.hostIds?.length ? input.hostIds : null);
    let wake: (() => void) | null = null;
    const off = ctx.fleet.subscribe((e) => {
      feed.offer(e);
      wake?.();
    });
    feed.start(input?.lastEventId);
    // One abort listener for the whole subscription (one per wait would pile up per event).
    const onAbort = () => wake?.();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      while (!signal?.aborted) {
        const item = feed.next();
        if (item === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        if (item === null) continue; // a host gone before its turn
        if (item.id === null) yield item.event;
        else yield tracked(item.id, item.event);
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      off();
    }
  }),
} satisfies TRPCRouterRecord;
