import type { TRPCRouterRecord } from "@trpc/server";
import { searchOperation } from "../../api/operations/search.js";
import { queryOf } from "../init.js";

export const searchRouter = {
  /** Name, pid, command, IP, port (":22"), interface, inode or finding code, on every host. */
  query: queryOf(searchOperation),
} satisfies TRPCRouterRecord;
