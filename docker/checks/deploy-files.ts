import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

/** The docker/ directory. */
export const DEPLOY_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

export const readDeployFile = (relative: string) => readFileSync(join(DEPLOY_DIR, relative), "utf8");

/** Every YAML document of a file, as plain data; a YAML syntax error throws. */
export function yamlDocuments(relative: string): Array<Record<string, unknown>> {
  return parseAllDocuments(readDeployFile(relative)).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${relative}: ${doc.errors[0]?.message}`);
    return doc.toJS() as Record<string, unknown>;
  });
}

export const kubernetesFiles = () =>
  readdirSync(join(DEPLOY_DIR, "kubernetes"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `kubernetes/${f}`);

/** Follows a path of keys and indexes through parsed YAML; undefined when it leads nowhere. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** The capabilities the agent is given, as compose/Kubernetes spell them (SYS_ADMIN, …). */
export const AGENT_CAPABILITIES = ["NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE"];
