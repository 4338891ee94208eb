import { ErrorBody, HostsResponse, Inventory, SearchResponse } from "@nsatlas/protocol";
import { z } from "zod";
import { addInventoryAt, guardedPaths } from "./openapi-guarded.js";
import type { Route } from "./router.js";

const json = (schema: z.ZodType) => ({ "application/json": { schema: z.toJSONSchema(schema, { io: "output" }) } });
const errors = {
  "401": { description: "missing or bad bearer token", content: json(ErrorBody) },
  "404": { description: "no such host", content: json(ErrorBody) },
};

/** OpenAPI 3.1 description of the REST API, generated from the zod schemas of the protocol. */
export function openApiDocument(): unknown {
  const doc = {
    openapi: "3.1.0",
    info: { title: "nsatlas", version: "1", description: "Linux namespace inventory of a fleet of hosts." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths: {
      "/healthz": {
        get: {
          security: [],
          responses: { "200": { description: "alive", content: json(z.object({ ok: z.literal(true) })) } },
        },
      },
      "/api/v1/hosts": {
        get: {
          parameters: [
            {
              name: "label",
              in: "query",
              required: false,
              description: "k=v (label k has value v) or k (label k is set); repeatable, all must hold",
              schema: { type: "array", items: { type: "string" } },
              style: "form",
              explode: true,
            },
          ],
          responses: {
            "200": { description: "every known host (stale ones too, until removed)", content: json(HostsResponse) },
            "400": { description: "bad label filter", content: json(ErrorBody) },
            "401": errors["401"],
          },
        },
      },
      "/api/v1/hosts/{id}": {
        delete: {
          description:
            "Forgets a host and its last inventory (admin only, audited). A connected agent is disconnected and reappears when it reconnects.",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "204": { description: "removed" },
            "403": { description: "not an admin", content: json(ErrorBody) },
            ...errors,
          },
        },
      },
      "/api/v1/search": {
        get: {
          description:
            'Searches every host: an address ("10.0.0.1"), a port (":22", "22/tcp"), a pid or inode (digits), a finding code ("leaked-stack"), or text matched against process names and commands, interfaces and stack names.',
          parameters: [{ name: "q", in: "query", required: true, schema: { type: "string", maxLength: 200 } }],
          responses: {
            "200": { description: "matches with host, stack and what matched", content: json(SearchResponse) },
            "400": { description: "q missing or too long", content: json(ErrorBody) },
            "401": errors["401"],
          },
        },
      },
      "/metrics": {
        get: {
          description: "Prometheus metrics (text format); any token but an agent's.",
          responses: {
            "200": { description: "metrics", content: { "text/plain": { schema: { type: "string" } } } },
            "401": errors["401"],
            "403": { description: "an agent token", content: json(ErrorBody) },
          },
        },
      },
      "/api/v1/hosts/{id}/inventory": {
        get: {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "the host's current inventory (nsatlas.inventory/v1)", content: json(Inventory) },
            ...errors,
          },
        },
      },
    },
  };
  // Issue 6: guarded actions, the audit log and history.
  Object.assign(doc.paths, guardedPaths());
  addInventoryAt(doc.paths["/api/v1/hosts/{id}/inventory"]);
  return doc;
}

export function openApiRoute(): Route {
  const doc = openApiDocument();
  return { method: "GET", path: "/api/v1/openapi.json", handle: () => doc };
}
