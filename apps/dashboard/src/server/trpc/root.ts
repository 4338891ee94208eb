import { router } from "./init.js";
import { actionsRouter } from "./routers/actions.js";
import { auditRouter } from "./routers/audit.js";
import { historyRouter } from "./routers/history.js";
import { hostsRouter } from "./routers/hosts.js";
import { liveRouter } from "./routers/live.js";
import { searchRouter } from "./routers/search.js";
import { sessionRouter } from "./routers/session.js";

export const appRouter = router({
  actions: actionsRouter,
  audit: auditRouter,
  history: historyRouter,
  hosts: hostsRouter,
  live: liveRouter,
  search: searchRouter,
  session: sessionRouter,
});

export type AppRouter = typeof appRouter;
