import { ActionError, type ActionService } from "@nsatlas/hub";
import { ACTION_HTTP_STATUS } from "../action-errors.js";
import { requestMeta } from "../request-meta.js";
import { HttpError, unauthorized } from "./http-error.js";
import { type Route, readJsonBody } from "./router.js";

/** A file write carries up to 64 KiB, which JSON escaping can make several times larger. */
const MAX_ACTION_BODY = 512 * 1024;

/** Runs a handler, turning an ActionError into its HTTP status and code. */
export async function translated<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ActionError) throw new HttpError(ACTION_HTTP_STATUS[err.kind], err.code, err.message);
    throw err;
  }
}

/** Plan → confirm: `POST /api/v1/hosts/{id}/actions` answers a dry run; `POST
 * /api/v1/actions/{planId}/confirm` runs it on the host's agent and answers its outcome. */
export function actionRoutes(actions: ActionService): Route[] {
  return [
    {
      method: "POST",
      path: "/api/v1/hosts/{id}/actions",
      async handle({ req, params, principal }) {
        if (!principal) throw unauthorized();
        const body = await readJsonBody(req, MAX_ACTION_BODY);
        return translated(() => actions.plan(requestMeta(req, principal), params.id ?? "", body));
      },
    },
    {
      method: "POST",
      path: "/api/v1/actions/{planId}/confirm",
      async handle({ req, params, principal }) {
        if (!principal) throw unauthorized();
        const body = await readJsonBody(req, 4096);
        return translated(() => actions.confirm(requestMeta(req, principal), params.planId ?? "", body));
      },
    },
  ];
}
