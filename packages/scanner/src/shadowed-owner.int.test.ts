import { rmSync, writeFileSync } from "node:fs";
import type { Inventory } from "@nsatlas/protocol";
import { nsLinkInode as inode, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "./scan.js";

// A named stack owned by a user namespace of its own, whose pin a later mount covers in the
// initial mount namespace but not in a private one made before the cover.
const world = new World();

afterAll(() => world.cleanup());

describe("the owner of a stack whose name is shadowed", () => {
  let stack: string;
  let owner: string;
  let inv: Inventory;

  beforeAll(async () => {
    const name = world.name("sh");
    const pin = `/run/netns/${name}`;
    const maker = await world.spawn(["unshare", "--user", "--map-root-user", "--net", "sleep", "1000"], {
      comm: "sleep",
    });
    stack = `net:${inode(maker.pid, "net")}`;
    owner = `user:${inode(maker.pid, "user")}`;
    writeFileSync(pin, "");
    world.defer(() => rmSync(pin, { force: true }));
    world.run(["mount", "--bind", `/proc/${maker.pid}/ns/net`, pin]);
    world.defer(() => world.run(["umount", pin]));
    maker.child.kill("SIGKILL"); // the pin alone keeps the stack (and its owner) alive
    // A mount namespace that keeps seeing the pin uncovered.
    await world.spawn(["unshare", "--mount", "--propagation", "private", "sleep", "1000"], { comm: "sleep" });
    const cover = world.netnsAdd("cv");
    world.run(["mount", "--bind", cover.path, pin]);
    world.defer(() => world.run(["umount", pin]));
    inv = scan({ procRoot: "/proc", netnsDir: "/run/netns", euid: process.geteuid?.() ?? -1, ownPid: process.pid });
  });

  it("reports the name as shadowed (the test set up what it means to)", () => {
    expect(inv.findings.filter((f) => f.code === "shadowed-name" && f.ns === stack)).toHaveLength(1);
  });

  it("knows the owner (the user namespace its maker was in), asked through the pin where no mount covers it", () => {
    expect(inv.namespaces.find((n) => n.id === stack)?.owner).toBe(owner);
    expect(inv.namespaces.find((n) => n.id === owner)).toMatchObject({ type: "user", initial: false });
    expect(inv.warnings.filter((w) => w.startsWith("hierarchy unknown") && w.includes(stack))).toEqual([]);
  });
});
