import type { FleetEvent } from "@nsatlas/hub";
import type { TRPCRouterRecord } from "@trpc/server";
import { tracked } from "@trpc/server";
import { authedProcedure } from "../init.js";

/** What the browser needs to know to refetch: which host changed, and how. */
export interface LiveEvent {
  hostId: string;
  kind: FleetEvent["kind"];
  at: number;
}

export const liveRouter = {
  /** Fleet changes as they happen. Each event is `tracked` with a counter, so a client that
   * reconnects resumes with lastEventId (and simply refetches what it shows). */
  events: authedProcedure.subscription(async function* ({ ctx, signal }) {
    const queue: LiveEvent[] = [];
    let wake: (() => void) | null = null;
    let id = 0;
    const off = ctx.fleet.subscribe((e) => {
      queue.push({ hostId: e.hostId, kind: e.kind, at: Date.now() });
      if (queue.length > 1000) queue.splice(0, queue.length - 1000);
      wake?.();
    });
    // One abort listener for the whole subscription (one per wait would pile up per event).
    const onAbort = () => wake?.();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      yield tracked(String(id++), { hostId: "*", kind: "state" as const, at: Date.now() });
      while (!signal?.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        const e = queue.shift() as LiveEvent;
        yield tracked(String(id++), e);
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      off();
    }
  }),
} satisfies TRPCRouterRecord;
