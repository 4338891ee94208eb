import { ErrorBody } from "@nsatlas/protocol";
import { z } from "zod";
import { SESSION_COOKIE } from "../request-auth.js";
import type { AnyOperation, DocumentOptions, ErrorStatus, RestBinding } from "./operation.js";

/** A zod schema as the document's JSON Schema (2020-12, OpenAPI 3.1's dialect). `io: "input"`
 * for what a client sends: defaults make a field optional there. */
function schemaOf(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
}

const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } };
const header = (description: string, type = "string") => ({ description, schema: { type } });
/** 429 and 503 say when to try again. */
const RETRY_AFTER = { "Retry-After": header("seconds to wait before trying again", "integer") };
const error = (status: ErrorStatus, description: string) => ({
  description,
  ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
  content: errorContent,
});

/** What any route may answer besides its own errors. */
const GENERAL: Partial<Record<ErrorStatus, string>> = {
  400: "a malformed request target, percent-escape or cookie (BAD_URL, BAD_ESCAPE, BAD_COOKIE)",
  503: "the server is shutting down or cannot check the credential now (UNAVAILABLE, with Retry-After)",
};
/** What every authenticated route may answer. */
const AUTHENTICATED: Partial<Record<ErrorStatus, string>> = {
  401: "missing or bad bearer token or session",
  403: "an agent token (AGENT_TOKEN): agent tokens only stream to /agent",
};
const MUTATION_403 =
  "refused by the mutation guard: an auditor (ROLE_READ_ONLY), an agent token (AGENT_TOKEN) or a read-only dashboard (DASHBOARD_READ_ONLY)";

const TAGS: Record<string, string> = {
  service: "Liveness, metrics and this document",
  session: "Logging in and out, and who is calling",
  hosts: "The fleet's hosts and their inventories",
  search: "Searching every host",
  actions: "Guarded actions: plan, then confirm",
  audit: "The hash-chained audit log",
  history: "What appeared and disappeared, and the auditor report",
};

function parameters(binding: RestBinding<unknown, unknown>): unknown[] {
  const path = [...binding.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const query = Object.entries(binding.query ?? {}).map(([name, p]) => ({
    name,
    in: "query",
    required: p.required ?? false,
    description: p.description,
    schema: p.repeated ? { type: "array", items: schemaOf(p.schema, "input") } : schemaOf(p.schema, "input"),
    ...(p.repeated ? { style: "form", explode: true } : {}),
  }));
  return [...path, ...query];
}

function errorResponses(op: AnyOperation, o: DocumentOptions): Record<string, unknown> {
  const own = op.rest?.errors ?? {};
  const general: Partial<Record<ErrorStatus, string>> = {
    ...GENERAL,
    ...(op.access === "public" ? {} : AUTHENTICATED),
    ...(op.mutates ? { 403: MUTATION_403 } : {}),
  };
  const statuses = [...new Set([...Object.keys(general), ...Object.keys(own)].map(Number) as ErrorStatus[])].sort();
  return Object.fromEntries(
    statuses.map((status) => {
      const mine = own[status];
      const text = typeof mine === "function" ? mine(o) : mine;
      const also = general[status];
      return [
        String(status),
        error(status, text && also && status !== 403 ? `${text}; or ${also}` : (text ?? also ?? "")),
      ];
    }),
  );
}

function success(op: AnyOperation, binding: RestBinding<unknown, unknown>): Record<string, unknown> {
  const status = binding.success ?? 200;
  const headers = binding.headers
    ? { headers: Object.fromEntries(Object.entries(binding.headers).map(([name, what]) => [name, header(what)])) }
    : {};
  if (status === 204) return { "204": { description: binding.answers, ...headers } };
  const json = binding.media?.json ?? true;
  const content: Record<string, unknown> = json
    ? { "application/json": { schema: schemaOf(op.output, "output") } }
    : {};
  for (const type of binding.media?.other ?? []) content[type] = { schema: { type: "string" } };
  return { [String(status)]: { description: binding.answers, ...headers, content } };
}

function operationEntry(op: AnyOperation, binding: RestBinding<unknown, unknown>, o: DocumentOptions) {
  const params = parameters(binding);
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.id.split(".")[0]],
    ...(op.access === "public" ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(binding.body
      ? {
          requestBody: { required: true, content: { "application/json": { schema: schemaOf(binding.body, "input") } } },
        }
      : {}),
    responses: { ...success(op, binding), ...errorResponses(op, o) },
  };
}

/** The OpenAPI 3.1 document of the REST API, made from the operations that have a REST
 * binding (the same list the router serves). */
export function openApiDocument(operations: readonly AnyOperation[], o: DocumentOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    if (!op.rest) continue;
    const entry = paths[op.rest.path] ?? {};
    entry[op.rest.method.toLowerCase()] = operationEntry(op, op.rest, o);
    paths[op.rest.path] = entry;
  }
  const used = new Set(operations.filter((op) => op.rest).map((op) => op.id.split(".")[0]));
  return {
    openapi: "3.1.0",
    info: { title: "nsatlas", version: "1", description: "Linux namespace inventory of a fleet of hosts." },
    // Relative: the document describes the server that serves it, wherever it listens.
    servers: [{ url: "/", description: "this dashboard" }],
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "an admin, operator or auditor token" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "the cookie of POST /api/v1/session (requests with it must carry this server's Origin)",
        },
      },
      schemas: { ErrorBody: schemaOf(ErrorBody, "output") },
    },
  };
}
