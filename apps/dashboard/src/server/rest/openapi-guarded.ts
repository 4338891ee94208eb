import {
  Action,
  AuditPublicKey,
  AuditResponse,
  AuditVerification,
  ConfirmRequest,
  ConfirmResponse,
  ErrorBody,
  HistoryResponse,
  HostReport,
  InventoryAt,
  PlanResponse,
} from "@nsatlas/protocol";
import { z } from "zod";

const json = (schema: z.ZodType) => ({
  "application/json": { schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) },
});
const error = (description: string) => ({ description, content: json(ErrorBody) });
const path = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });
const query = (name: string, description: string, schema: object = { type: "string" }) => ({
  name,
  in: "query",
  required: false,
  description,
  schema,
});
const csv = { "text/csv": { schema: { type: "string" } } };
const window = [
  query("from", "start: ISO-8601 or epoch ms (default: 24 h before `to`)"),
  query("to", "end: ISO-8601 or epoch ms (default: now)"),
];
const auth = { "401": error("missing or bad bearer token") };
const reader = { ...auth, "403": error("not an admin or auditor") };

/** The paths of issue 6 (guarded actions, audit log, history) for the OpenAPI document. */
export function guardedPaths(): Record<string, unknown> {
  return {
    "/api/v1/hosts/{id}/actions": {
      post: {
        description:
          "Plans a guarded action (a server-side dry run): the exact iproute2 argv (or the file written), the impact, and the text to type to confirm. Nothing runs until it is confirmed.",
        parameters: [path("id")],
        requestBody: { required: true, content: json(Action) },
        responses: {
          "200": { description: "the plan", content: json(PlanResponse) },
          "400": error(
            "invalid type or params (the name grammar: stack names [A-Za-z0-9_.-]{1,64}, not starting with '.', not all digits, not 'initial'; links 1-15)",
          ),
          ...auth,
          "403": error("role (auditor, agent), read-only dashboard, read-only agent or view-only (fleet-token) host"),
          "404": error("no such host, stack, link, address or file"),
          "409": error("the host's state refuses it (name taken, processes inside, link exists, …)"),
          "503": error("the host's agent is not connected"),
        },
      },
    },
    "/api/v1/actions/{planId}/confirm": {
      post: {
        description:
          "Confirms a plan of the caller with the typed name and runs it on the host's agent (single-use; the plan expires after NSATLAS_PLAN_TTL).",
        parameters: [path("planId")],
        requestBody: { required: true, content: json(ConfirmRequest) },
        responses: {
          "200": {
            description: "the outcome: succeeded or failed, with the agent's result",
            content: json(ConfirmResponse),
          },
          "400": error("wrong confirmation text (the plan is kept)"),
          ...auth,
          "403": error("role or read-only"),
          "404": error("no such plan, or another user's"),
          "409": error("the plan was used, expired, or the host changed since"),
          "503": error("the host's agent is offline"),
          "504": error("the agent did not answer in 30 s"),
        },
      },
    },
    "/api/v1/audit": {
      get: {
        description: "Audit rows after `since` (exclusive), oldest first.",
        parameters: [
          query("since", "a seq (exclusive; default 0)", { type: "integer", minimum: 0 }),
          query("limit", "at most this many (default 100)", { type: "integer", minimum: 1, maximum: 1000 }),
        ],
        responses: {
          "200": { description: "rows", content: json(AuditResponse) },
          "400": error("bad since or limit"),
          ...reader,
        },
      },
    },
    "/api/v1/audit/export": {
      get: {
        description: "Every row, streamed (CSV cells that a spreadsheet would run as a formula start with a quote).",
        parameters: [query("format", "json (default) or csv", { enum: ["json", "csv"] })],
        responses: { "200": { description: "every row", content: { ...json(AuditResponse), ...csv } }, ...reader },
      },
    },
    "/api/v1/audit/verify": {
      get: {
        description: "Verifies the hash chain (and the data dir's anchor), as `nsatlas audit verify` does.",
        responses: { "200": { description: "the verdict", content: json(AuditVerification) }, ...reader },
      },
    },
    "/api/v1/audit/public-key": {
      get: {
        description:
          "The Ed25519 public key that signs the audit chain's checkpoints (for `nsatlas audit verify --bundle FILE --public-key PEM`).",
        responses: {
          "200": { description: "the key (SPKI PEM), its id and fingerprint", content: json(AuditPublicKey) },
          ...reader,
        },
      },
    },
    "/api/v1/hosts/{id}/history": {
      get: {
        description: "When namespaces, stacks, names, links and addresses appeared and disappeared.",
        parameters: [
          path("id"),
          ...window,
          query("limit", "at most this many events (default 5000)", { type: "integer" }),
        ],
        responses: {
          "200": { description: "events, oldest first", content: json(HistoryResponse) },
          ...auth,
          "404": error("unknown host"),
        },
      },
    },
    "/api/v1/hosts/{id}/report": {
      get: {
        description:
          "The auditor report of a time window: the inventory at its start, the changes in it, and the audit rows about the host.",
        parameters: [path("id"), ...window, query("format", "json (default) or csv", { enum: ["json", "csv"] })],
        responses: {
          "200": { description: "the report", content: { ...json(HostReport), ...csv } },
          ...reader,
          "404": error("unknown host"),
        },
      },
    },
  };
}

/** `?at=T` of the inventory path: the host as the history saw it at T (another schema). */
export function addInventoryAt(inventoryPath: unknown): void {
  const get = (inventoryPath as { get?: { parameters?: unknown[]; responses?: Record<string, unknown> } } | undefined)
    ?.get;
  if (!get) return;
  get.parameters = [
    ...(get.parameters ?? []),
    query("at", "ISO-8601 or epoch ms: answer nsatlas.inventory-at/v1 from the history instead"),
  ];
  const ok = get.responses?.["200"] as { content?: Record<string, { schema: unknown }> } | undefined;
  const current = ok?.content?.["application/json"]?.schema;
  if (ok?.content && current) {
    ok.content["application/json"] = { schema: { oneOf: [current, z.toJSONSchema(InventoryAt, { io: "output" })] } };
  }
}
