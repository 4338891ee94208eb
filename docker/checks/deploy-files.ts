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

/** What the final stage of a Dockerfile promises a container: how it starts, as whom, where. */
export interface ImageContract {
  entrypoint: string[] | null;
  cmd: string[] | null;
  /** USER of the final stage; null means root. */
  user: string | null;
  workdir: string | null;
  volumes: string[];
}

/** Reads ImageContract from the final stage (JSON-form ENTRYPOINT, CMD and VOLUME only). */
export function imageContract(dockerfile: string): ImageContract {
  const lines = readDeployFile(dockerfile).replace(/\\\n/g, " ").split("\n");
  const last = lines.findLastIndex((l) => /^FROM\s/.test(l));
  const c: ImageContract = { entrypoint: null, cmd: null, user: null, workdir: null, volumes: [] };
  for (const line of lines.slice(last + 1)) {
    const m = /^(ENTRYPOINT|CMD|USER|WORKDIR|VOLUME)\s+(.*)$/.exec(line.trim());
    if (!m?.[2]) continue;
    const value = m[2].trim();
    if (m[1] === "ENTRYPOINT") c.entrypoint = JSON.parse(value) as string[];
    if (m[1] === "CMD") c.cmd = JSON.parse(value) as string[];
    if (m[1] === "USER") c.user = value;
    if (m[1] === "WORKDIR") c.workdir = value;
    if (m[1] === "VOLUME") c.volumes.push(...(JSON.parse(value) as string[]));
  }
  return c;
}
