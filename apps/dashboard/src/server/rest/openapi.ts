import { ErrorBody, HostsResponse, Inventory } from "@nsatlas/protocol";
import { z } from "zod";
import type { Route } from "./router.js";

const json = (schema: z.ZodType) => ({ "application/json": { schema: z.toJSONSchema(schema, { io: "output" }) } });
const errors = {
  "401": { description: "missing or bad bearer token", content: json(ErrorBody) },
  "404": { description: "no such host", content: json(ErrorBody) },
};

/** OpenAPI 3.1 description of the REST API, generated from the zod schemas of the protocol. */
export function openApiDocument(): unknown {
  return {
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
        get: { responses: { "200": { description: "every known host", content: json(HostsResponse) }, ...errors } },
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
}

export function openApiRoute(): Route {
  const doc = openApiDocument();
  return { method: "GET", path: "/api/v1/openapi.json", handle: () => doc };
}
