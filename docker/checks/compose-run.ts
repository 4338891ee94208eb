import { isAbsolute, join } from "node:path";
import { at, DEPLOY_DIR, yamlDocuments } from "./deploy-files.js";

// docker/compose.yaml turned into `docker run` arguments, for engines without the compose
// plugin (and networks without a bridge). Every key of a service is either translated or
// named as left to the caller; an unknown key throws, so a setting added to the file cannot
// be skipped silently by the deploy test.

type Service = Record<string, unknown>;

/** Compose's variable substitution: ${VAR}, ${VAR:-default}, ${VAR:?message}, $$. */
export function interpolate<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === "string") {
    return value.replace(/\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g, (whole, name, op, arg) => {
      if (whole === "$$") return "$";
      const v = env[name];
      if (v !== undefined && v !== "") return v;
      if (op === "?") throw new Error(`compose.yaml: ${name}: ${arg}`);
      return op === "-" ? arg : "";
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env)) as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  return value;
}

/** compose.yaml with variables substituted from env. */
export function composeFile(env: Record<string, string | undefined>): Record<string, unknown> {
  const [doc] = yamlDocuments("compose.yaml");
  return interpolate(doc ?? {}, env);
}

// What the caller supplies instead: the image is built, `build`/`image` say which; ports and
// the network need a bridge (the caller passes its network arguments); depends_on is an order.
const LEFT_TO_CALLER = new Set(["build", "image", "ports", "depends_on"]);

export interface RunOptions {
  /** The project name (compose prefixes named volumes with it). */
  project: string;
  /** Where the secret files are (compose reads them relative to docker/). */
  secretsDir?: string;
  /** Environment added to (or replacing in) the service's own. */
  env?: Record<string, string>;
}

/** `docker run` flags for one service of a parsed compose file, and its command. */
export function dockerRunArgs(compose: Record<string, unknown>, name: string, o: RunOptions): string[] {
  const service = at(compose, "services", name) as Service | undefined;
  if (!service) throw new Error(`compose.yaml: no service ${name}`);
  const args: string[] = [];
  const list = (key: string) => (service[key] ?? []) as string[];
  for (const key of Object.keys(service)) {
    switch (key) {
      case "pid":
        args.push("--pid", String(service.pid));
        break;
      case "uts":
        args.push("--uts", String(service.uts));
        break;
      case "cap_drop":
        for (const c of list(key)) args.push("--cap-drop", c);
        break;
      case "cap_add":
        for (const c of list(key)) args.push("--cap-add", c);
        break;
      case "security_opt":
        for (const s of list(key)) args.push("--security-opt", s);
        break;
      case "read_only":
        if (service.read_only === true) args.push("--read-only");
        break;
      case "tmpfs":
        for (const t of list(key)) args.push("--tmpfs", t);
        break;
      case "restart":
        args.push("--restart", String(service.restart));
        break;
      case "environment": {
        const env = { ...(service.environment as Record<string, string>), ...o.env };
        for (const [k, v] of Object.entries(env)) args.push("-e", `${k}=${v}`);
        break;
      }
      case "volumes":
        for (const v of service.volumes as unknown[]) args.push(...volumeArgs(v, o.project));
        break;
      case "secrets":
        for (const s of list(key)) {
          const file = at(compose, "secrets", s, "file");
          if (typeof file !== "string") throw new Error(`compose.yaml: secret ${s} has no file`);
          const source = o.secretsDir ? join(o.secretsDir, file.replace(/^.*\//, "")) : join(DEPLOY_DIR, file);
          args.push("--mount", `type=bind,source=${source},target=/run/secrets/${s},readonly`);
        }
        break;
      case "command":
        break;
      default:
        if (!LEFT_TO_CALLER.has(key)) throw new Error(`compose.yaml: service ${name}: no translation for ${key}`);
    }
  }
  return args;
}

/** The service's command (arguments after the image's entrypoint). */
export const composeCommand = (compose: Record<string, unknown>, name: string) =>
  (at(compose, "services", name, "command") ?? []) as string[];

function volumeArgs(v: unknown, project: string): string[] {
  if (typeof v === "string") {
    const [source = "", target = "", mode] = v.split(":");
    const src = isAbsolute(source) ? source : `${project}_${source}`;
    return ["-v", [src, target, ...(mode ? [mode] : [])].join(":")];
  }
  const m = v as { type: string; source: string; target: string; read_only?: boolean; bind?: { propagation?: string } };
  if (m.type !== "bind") throw new Error(`compose.yaml: volume type ${m.type} not translated`);
  const parts = [`type=bind`, `source=${m.source}`, `target=${m.target}`];
  if (m.bind?.propagation) parts.push(`bind-propagation=${m.bind.propagation}`);
  if (m.read_only) parts.push("readonly");
  return ["--mount", parts.join(",")];
}
