import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "./main.js";

afterEach(() => vi.restoreAllMocks());

describe("nsatlas-agent main", () => {
  it("answers any argv that names no command with exit 0 (help) or 2 (usage), never a throw", async () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const first = fc.oneof(
      fc.constantFrom("-h", "--help", "--bogus", "help", ""),
      fc.string().filter((s) => !["scan", "run", "lsns"].includes(s)),
    );
    await fc.assert(
      fc.asyncProperty(first, fc.array(fc.string(), { maxLength: 4 }), async (command, rest) => {
        const code = await main([command, ...rest]);
        expect(code).toBe(command === "-h" || command === "--help" ? 0 : 2);
      }),
      { numRuns: 300 },
    );
    expect(await main([])).toBe(2);
    expect(out).toHaveBeenCalled();
    expect(err).toHaveBeenCalled();
  });
});
