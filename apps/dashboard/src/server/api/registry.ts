import type { AnyOperation } from "./operation.js";
import { actionOperations } from "./operations/actions.js";
import { auditOperations } from "./operations/audit.js";
import { captureOperations } from "./operations/captures.js";
import { historyOperations } from "./operations/history.js";
import { hostOperations } from "./operations/hosts.js";
import { searchOperation } from "./operations/search.js";
import { serviceOperations } from "./operations/service.js";
import { sessionOperations } from "./operations/session.js";

/** Every operation of the API: the REST router and the OpenAPI document are made from this
 * list, the tRPC routers from its `trpc` entries. A new operation is one entry here. */
export const operations: readonly AnyOperation[] = [
  ...serviceOperations,
  ...sessionOperations,
  ...hostOperations,
  searchOperation,
  ...actionOperations,
  ...captureOperations,
  ...auditOperations,
  ...historyOperations,
];
