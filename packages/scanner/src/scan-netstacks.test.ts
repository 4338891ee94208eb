import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NetstackRequest } from "@nsatlas/native";
import { Inventory } from "@nsatlas/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureDescribe } from "./__fixtures__/fixture-describe.js";
import { rawLink, rawStack } from "./__fixtures__/raw-netstack.js";
import { scan } from "./scan.js";
import { scanNamespaces } from "./scan-namespaces.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const etc = mkdtempSync(join(tmpdir(), "nsatlas-etc-"));
afterAll(() => rmSync(etc, { recursive: true, force: true }));
mkdirSync(join(etc, "blue"));
writeFileSync(join(etc, "blue", "hosts"), "10.0.0.1 blue\n");

const base = {
  procRoot: fixture("proc-basic"),
  netnsDir: fixture("netns-basic"),
  passwdPath: fixture("passwd"),
  euid: 0,
  describe: fixtureDescribe,
  etcNetnsDir: etc,
  now: () => new Date("2026-01-01T00:00:00Z"),
};

describe("scan with stack detail, on a fixture /proc tree", () => {
  const requests: NetstackRequest[] = [];
  const inv = scan({
    ...base,
    readNetstacks: (req) => {
      requests.push(req);
      return { stacks: req.stacks.map(() => rawStack({ links: [rawLink(1, "lo", { arphrd: 772 })] })), nsids: [] };
    },
  });

  it("gives every network namespace a stack, read through its holders' paths", () => {
    expect(Inventory.safeParse(inv).success).toBe(true);
    const netIds = inv.namespaces.filter((n) => n.type === "net").map((n) => n.id);
    expect(inv.netstacks?.map((s) => s.ns)).toEqual(netIds);
    expect(requests).toHaveLength(1);
    const blue = requests[0]?.stacks.find((s) => s.inode === 4026532177);
    expect(blue?.paths).toContain(`${base.netnsDir}/blue`);
    expect(inv.netstacks?.find((s) => s.ns === "net:4026532177")?.files).toEqual({ hosts: "10.0.0.1 blue\n" });
  });

  it("reports namespace-level findings: a leaked stack and unreadable netns dir entries", () => {
    const codes = inv.findings.map((f) => `${f.code} ${f.ns ?? f.message}`);
    expect(codes).toContain("leaked-stack net:4026532600");
    expect(inv.findings.filter((f) => f.code === "unreadable-name").map((f) => f.message)).toEqual([
      expect.stringContaining('"notnet" does not open a network namespace (it is a mnt namespace)'),
      expect.stringContaining('"stale" does not open a network namespace (not an nsfs mount'),
    ]);
  });

  it("leaves netstacks out, but keeps findings, without stack detail", () => {
    const lean = scan({ ...base, netstacks: false, readNetstacks: () => expect.fail("no stack may be read") });
    expect(lean.netstacks).toBeUndefined();
    expect(lean.findings).toEqual(inv.findings); // the fixture stacks (only lo) add none of their own
    expect(scanNamespaces(base)).toEqual(lean);
  });
});
