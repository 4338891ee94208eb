import type { Finding } from "@nsatlas/protocol";
import { describe, expect, it } from "vitest";
import { findingLines } from "./finding-lines";

describe("finding lines", () => {
  const titles = new Map([
    ["net:1", "red"],
    ["net:2", "blue"],
    ["net:3", "unnamed (fd 5 of pid 10)"],
  ]);
  const dup = (ns: string, refs: string[]): Finding => ({
    code: "duplicate-address",
    ns,
    message: `10.0.0.1/24 is also in ${refs.join(", ")}`,
    refs,
  });

  it("counts one duplicate address once, naming every stack that has it", () => {
    const lines = findingLines([dup("net:1", ["net:2"]), dup("net:2", ["net:1"])], titles);
    expect(lines).toEqual([
      { code: "duplicate-address", stacks: ["net:1", "net:2"], text: "10.0.0.1 is in 2 stacks: red, blue" },
    ]);
  });

  it("says which stack every other finding is about, by name", () => {
    const leaked: Finding = { code: "leaked-stack", ns: "net:3", message: "only an fd keeps net:3 alive", refs: [] };
    expect(findingLines([leaked], titles)[0]?.text).toBe(
      "unnamed (fd 5 of pid 10): only an fd keeps unnamed (fd 5 of pid 10) (net:3) alive",
    );
  });
});
