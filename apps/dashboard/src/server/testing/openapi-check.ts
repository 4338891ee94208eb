import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openApiDocument } from "../api/openapi-document.js";
import { operations } from "../api/registry.js";
import { restTable } from "../rest/router.js";

type Schema = Record<string, unknown>;
interface ResponseEntry {
  description: string;
  content?: Record<string, { schema: Schema }>;
}
interface Components {
  schemas: Record<string, Schema>;
}

const doc = openApiDocument(operations, { actionTimeoutMs: 30_000 }) as {
  paths: Record<string, Record<string, { responses: Record<string, ResponseEntry> }>>;
  components: Components;
};
const table = restTable(operations);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const compiled = new Map<string, ValidateFunction>();

/** A schema, or the component it names (error bodies are `$ref`s to ErrorBody). */
function resolved(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/components/schemas/")) return schema;
  const target = doc.components.schemas[ref.slice("#/components/schemas/".length)];
  if (!target) throw new Error(`the document names a schema it lacks: ${ref}`);
  return target;
}

/** Why a REST answer does not match the OpenAPI document, or null when it does (or when no
 * operation has this method and path: a 404 or 405 of the router, which the document
 * rightly does not list). */
export function documentViolation(
  method: string,
  pathname: string,
  status: number,
  contentType: string | null,
  body: string,
  /** Only the status line and headers were read: the body is not checked. */
  o: { headOnly?: boolean } = {},
): string | null {
  const route = table.find((r) => r.binding.method === method && r.re.test(pathname));
  if (!route) return null;
  const where = `${method} ${pathname} (${route.binding.path}) answered ${status}`;
  const entry = doc.paths[route.binding.path]?.[method.toLowerCase()]?.responses[String(status)];
  if (!entry) return `${where}, a status the document does not list`;
  if (!entry.content)
    return body.length === 0 || o.headOnly ? null : `${where} with a body the document does not describe`;
  const media = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const described = entry.content[media];
  if (!described) return `${where} as ${JSON.stringify(media)}, not one of ${Object.keys(entry.content).join(", ")}`;
  if (media !== "application/json" || o.headOnly) return null;
  const key = `${route.binding.path} ${method} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(resolved(described.schema));
    compiled.set(key, validate);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return `${where} with a body that is not JSON`;
  }
  if (validate(value)) return null;
  const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`);
  return `${where} with a body the document's schema refuses: ${errors.join("; ")}`;
}
