import { searchFleet } from "@nsatlas/hub";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { authedProcedure } from "../init.js";

export const searchRouter = {
  /** Name, pid, command, IP, port (":22"), interface, inode or finding code, on every host. */
  query: authedProcedure.input(z.object({ q: z.string().max(200) })).query(({ ctx, input }) =>
    searchFleet(
      ctx.fleet.hosts().map((h) => ({ id: h.id, hostname: h.hostname, inventory: h.inventory })),
      input.q,
    ),
  ),
} satisfies TRPCRouterRecord;
