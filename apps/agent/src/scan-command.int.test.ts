import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Inventory } from "@nsatlas/protocol";
import { nsLinkInode, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The built CLI, run as a user would run it; what it reports is compared with what this file
// made and with readlink of /proc.
const world = new World();
const BIN = fileURLToPath(new URL("../bin/nsatlas-agent", import.meta.url));
// nobody keeps CAP_DAC_READ_SEARCH alone, to read the checkout wherever it sits (under a
// mode-0700 directory, say). It opens no other user's /proc/<pid>/ns or fd links: those are
// ptrace access checks (CAP_SYS_PTRACE), and setns needs CAP_SYS_ADMIN.
const NOBODY = [
  "setpriv",
  "--reuid=65534",
  "--regid=65534",
  "--clear-groups",
  "--inh-caps=+dac_read_search",
  "--ambient-caps=+dac_read_search",
];
const netInode = (pid: number | "self") => nsLinkInode(pid, "net");

afterAll(() => world.cleanup());

describe("nsatlas-agent scan", () => {
  it("exits 0 silently when the reader goes away (scan --json | head -c 100)", () => {
    const err = `${world.tmpDir()}/stderr`;
    // `true` has gone before the scan writes, so EPIPE comes whatever the inventory's size.
    for (const reader of ["head -c 100 >/dev/null", "true"]) {
      const pipeline = `"$0" "$1" scan --json 2>"$2" | ${reader}; echo "rc=\${PIPESTATUS[0]}"`;
      expect(world.run(["bash", "-c", pipeline, process.execPath, BIN, err]).trim(), reader).toBe("rc=0");
      expect(readFileSync(err, "utf8"), reader).toBe("");
    }
  });

  it("--watch --type net prints only network namespaces", async () => {
    const child = spawn(process.execPath, [BIN, "scan", "--watch", "--type", "net", "--interval", "200ms"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    world.defer(() => child.kill("SIGKILL"));
    const first = await new Promise<string>((resolve) => {
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
      });
    });
    child.kill("SIGTERM");
    const snapshot = JSON.parse(first) as { type: string; inventory: Inventory };
    expect(snapshot.type).toBe("snapshot");
    expect(snapshot.inventory.namespaces.length).toBeGreaterThan(0);
    expect(new Set(snapshot.inventory.namespaces.map((n) => n.type))).toEqual(new Set(["net"]));
  });
});

describe("nsatlas-agent scan without root", () => {
  let pinInode: number | null;
  let inv: Inventory;

  beforeAll(async () => {
    // A stack pinned outside /run/netns with a root process inside: nobody sees the pin in
    // its own mountinfo but cannot read the process.
    const pin = `${world.tmpDir()}/pin`;
    world.run(["touch", pin]);
    world.run(["unshare", `--net=${pin}`, "true"]);
    world.defer(() => world.run(["umount", pin]));
    const inside = await world.spawn(["nsenter", `--net=${pin}`, "sleep", "1000"], { comm: "sleep" });
    pinInode = netInode(inside.pid);
    inv = JSON.parse(world.run([...NOBODY, process.execPath, BIN, "scan", "--json"])) as Inventory;
  });

  it("says the initial namespaces are unknown instead of marking none initial as if known", () => {
    expect(Inventory.safeParse(inv).error?.issues.slice(0, 3)).toBeUndefined();
    expect(inv.host).toMatchObject({ privileged: false, initialFrom: "none" });
    expect(inv.namespaces.filter((n) => n.initial)).toEqual([]);
  });

  it("reports a stack whose processes it cannot read as holders-unknown, not leaked-stack", () => {
    const about = inv.findings.filter((f) => f.ns === `net:${pinInode}`).map((f) => f.code);
    expect(about).toContain("holders-unknown");
    expect(about).not.toContain("leaked-stack");
  });

  it("reads the stack it runs in (no setns needed), as ip link does without root", () => {
    // nobody's scan runs in the same stack as this test.
    const own = `net:${netInode("self")}`;
    const stack = inv.netstacks?.find((s) => s.ns === own);
    expect(stack?.links.map((l) => l.name)).toContain("lo");
    expect(inv.findings.filter((f) => f.ns === own && f.code === "not-privileged")).toEqual([]);
  });
});
