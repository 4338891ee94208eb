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
/** The validator of each JSON answer's schema (error answers share ErrorBody's). */
const compiled = new Map<Schema, ValidateFunction>();

/** A schema, or the component it names (error bodies are `$ref`s to ErrorBody). */
function resolved(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/components/schemas/")) return schema;
  const target = doc.components.schemas[ref.slice("#/components/schemas/".length)];
  if (!target) throw new Error(`the document names a schema it lacks: ${ref}`);
  return target;
}

function validatorOf(schema: Schema): ValidateFunction {
  const target = resolved(schema);
  let validate = compiled.get(target);
  if (!validate) {
    validate = ajv.compile(target);
    compiled.set(target, validate);
  }
  return validate;
}

// Compiled now, at import, not during the first call of a test: timing-sensitive tests (a
// plan that expires in 1 s) must not pay for it.
for (const item of Object.values(doc.paths))
  for (const op of Object.values(item))
    for (const entry of Object.values(op.responses)) {
      const json = entry.content?.["application/json"];
      if (json) validatorOf(json.schema);
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
  const validate = validatorOf(described.schema);
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
