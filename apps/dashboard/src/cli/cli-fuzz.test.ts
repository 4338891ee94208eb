import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "./main.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-cli-fuzz-"));
  vi.stubEnv("NSATLAS_DATA_DIR", dir);
});
afterAll(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe("nsatlas CLI on arbitrary arguments", () => {
  it("never throws and exits only 0, 1 (refused or broken) or 2 (usage or unreadable)", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const word = fc.oneof(
      fc.constantFrom(
        "token",
        "audit",
        "create",
        "list",
        "revoke",
        "verify",
        "export",
        "prune",
        "--role",
        "--name",
        "admin",
        "auditor",
        "--anchor",
        "--bundle",
        "--public-key",
        "--format",
        "csv",
        "json",
        "--older-than",
        "365d",
        "-h",
        "--help",
        "--",
        "",
      ),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 7 }), (argv) => {
        // Files the options name stay inside the test's data dir.
        const args = argv.map((a, i) =>
          ["--anchor", "--bundle", "--public-key"].includes(argv[i - 1] ?? "") ? join(dir, `f${a.length}`) : a,
        );
        expect([0, 1, 2]).toContain(main(args));
      }),
      { numRuns: 300 },
    );
  });
});
