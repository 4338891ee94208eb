import { describe, expect, it } from "vitest";
import { describeNamespace, walkProcesses } from "./index.js";

describe("native path arguments", () => {
  it("refuses an over-long path instead of truncating it to another file's name", () => {
    expect(() => describeNamespace(`/${"a".repeat(5000)}`)).toThrow(expect.objectContaining({ code: "ENAMETOOLONG" }));
    expect(() => walkProcesses(`/${"x".repeat(4095)}`)).toThrow(expect.objectContaining({ code: "ENAMETOOLONG" }));
  });

  it("still reads ordinary paths", () => {
    expect(describeNamespace("/proc/self/ns/net")[0]?.type).toBe("net");
    expect(walkProcesses("/proc").some((p) => p.pid === process.pid)).toBe(true);
  });
});
