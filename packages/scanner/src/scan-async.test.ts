import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fixtureDescribe } from "./__fixtures__/fixture-describe.js";
import { scan, scanAsync } from "./scan.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const options = () => ({
  procRoot: fixture("proc-basic"),
  netnsDir: fixture("netns-basic"),
  passwdPath: fixture("passwd"),
  euid: 0,
  describe: fixtureDescribe,
  now: () => new Date("2026-01-01T00:00:00Z"),
});

describe("scanAsync", () => {
  it("gives the inventory scan gives, its walk and stack reads done as async work", async () => {
    expect(await scanAsync(options())).toEqual(scan(options()));
  });

  it("rejects with the same ProcRootError for an unreadable proc root", async () => {
    const bad = { ...options(), procRoot: fixture("does-not-exist") };
    expect(() => scan(bad)).toThrow(/proc/);
    await expect(scanAsync(bad)).rejects.toThrow(/proc/);
    await expect(scanAsync(bad)).rejects.toMatchObject({ name: "ProcRootError" });
  });
});
