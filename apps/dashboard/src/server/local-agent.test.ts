import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { agentBin } from "./local-agent.js";

describe("agentBin", () => {
  it("runs NSATLAS_AGENT_BIN when set, else the @nsatlas/agent package's program", () => {
    expect(agentBin("/opt/nsatlas/nsatlas-agent")).toBe("/opt/nsatlas/nsatlas-agent");
    const own = agentBin(null);
    expect(own).toMatch(/apps\/agent\/bin\/nsatlas-agent$/);
    expect(existsSync(own)).toBe(true);
  });
});
