import { router } from "./init.js";
import { hostsRouter } from "./routers/hosts.js";
import { liveRouter } from "./routers/live.js";
import { searchRouter } from "./routers/search.js";
import { sessionRouter } from "./routers/session.js";

export const appRouter = router({
  hosts: hostsRouter,
  live: liveRouter,
  search: searchRouter,
  session: sessionRouter,
});

export type AppRouter = typeof appRouter;
