import { describe, expect, it } from "vitest";
import { parseRunArgs } from "../../apps/agent/src/cli/run-options.js";
import { AGENT_CAPABILITIES, readDeployFile } from "./deploy-files.js";

// Checked as text here (structure, and agent arguments through the agent's own parser); the
// images are built and run by images.deploy.test.ts. `systemd-analyze verify` passed on both
// units on the development machine; see README.md.
const stages = (dockerfile: string) => dockerfile.split("\n").filter((l) => /^FROM\s/.test(l));

describe("Dockerfiles", () => {
  it("are multi-stage with a health check", () => {
    for (const file of ["agent.Dockerfile", "dashboard.Dockerfile"]) {
      const text = readDeployFile(file);
      expect(stages(text).length, file).toBeGreaterThanOrEqual(3);
      expect(text, file).toMatch(/^HEALTHCHECK /m);
    }
  });

  it("take Node 24 base images as build arguments and pull no BuildKit frontend", () => {
    for (const file of ["agent.Dockerfile", "dashboard.Dockerfile"]) {
      const text = readDeployFile(file);
      expect(text, file).not.toMatch(/^#\s*syntax=/im);
      expect(text, file).toMatch(/^ARG NODE_BUILD_IMAGE=node:24-bookworm$/m);
      expect(text, file).toMatch(/^ARG NODE_RUNTIME_IMAGE=node:24-bookworm-slim$/m);
      // FROM ${ARG}: the argument each stage is based on.
      const bases = stages(text).map((l) => /^FROM \$\{(\w+)\}/.exec(l)?.[1]);
      expect(new Set(bases), file).toEqual(new Set(["NODE_BUILD_IMAGE", "NODE_RUNTIME_IMAGE"]));
      expect(bases.at(-1), file).toBe("NODE_RUNTIME_IMAGE");
    }
  });

  it("run the dashboard as a non-root user and say why the agent needs each capability", () => {
    expect(readDeployFile("dashboard.Dockerfile")).toMatch(/^USER nsatlas$/m);
    const agent = readDeployFile("agent.Dockerfile");
    for (const cap of AGENT_CAPABILITIES) expect(agent).toMatch(new RegExp(`^#\\s+${cap}\\s+\\S`, "m"));
  });
});

describe("systemd units", () => {
  const unit = readDeployFile("systemd/nsatlas-agent.service");
  const value = (key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(unit)?.[1] ?? "";

  it("start the agent with arguments it accepts and only the capabilities it needs", () => {
    const argv = value("ExecStart").split(/\s+/);
    const run = argv.indexOf("run");
    expect(argv[run - 1]).toMatch(/apps\/agent\/bin\/nsatlas-agent$/);
    const o = parseRunArgs(argv.slice(run + 1));
    expect(o.hub.protocol).toBe("wss:");
    expect(value("CapabilityBoundingSet").split(" ").sort()).toEqual(AGENT_CAPABILITIES.map((c) => `CAP_${c}`));
    expect(value("RestartPreventExitStatus")).toBe("2 3");
  });
});
