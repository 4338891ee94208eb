import { rmSync, writeFileSync } from "node:fs";
import type { Inventory } from "@nsatlas/protocol";
import { nsLinkInode as inode, World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "./scan.js";

// A named stack owned by a user namespace of its own, whose pin a later mount covers in the
// initial mount namespace but not in a private one made before the cover.
const world = new World();

afterAll(() => world.cleanup());

/** A stack made in a user namespace of its own and pinned at /run/netns/<name>; its maker
 * then exits, so that the pin (and whatever `hold` adds) alone keeps it. */
async function ownedStack(suffix: string, hold: (pin: string) => Promise<void>) {
  const pin = `/run/netns/${world.name(suffix)}`;
  const maker = await world.spawn(["unshare", "--user", "--map-root-user", "--net", "sleep", "1000"], {
    comm: "sleep",
  });
  const made = { pin, stack: `net:${inode(maker.pid, "net")}`, owner: `user:${inode(maker.pid, "user")}` };
  writeFileSync(pin, "");
  world.defer(() => rmSync(pin, { force: true }));
  world.run(["mount", "--bind", `/proc/${maker.pid}/ns/net`, pin]);
  world.defer(() => world.run(["umount", pin]));
  await hold(pin);
  maker.child.kill("SIGKILL");
  return made;
}

/** Covers the pin with another stack's (in our mount namespace and its peers). */
function cover(pin: string): void {
  world.run(["mount", "--bind", world.netnsAdd(`c${pin.slice(-2)}`).path, pin]);
  world.defer(() => world.run(["umount", pin]));
}

describe("the owner of a stack whose name is shadowed", () => {
  let uncovered: { pin: string; stack: string; owner: string };
  let socketHeld: { pin: string; stack: string; owner: string };
  let inv: Inventory;

  beforeAll(async () => {
    // Seen uncovered from a mount namespace made before the cover.
    uncovered = await ownedStack("sh", async () => {
      await world.spawn(["unshare", "--mount", "--propagation", "private", "sleep", "1000"], { comm: "sleep" });
    });
    // Held also by a socket created inside it (its only other holder).
    socketHeld = await ownedStack("so", async (pin) => {
      await world.spawn([world.nsHolder(), "socket-net", pin], { line: /^ready/ });
    });
    cover(uncovered.pin);
    cover(socketHeld.pin);
    inv = scan({ procRoot: "/proc", netnsDir: "/run/netns", euid: process.geteuid?.() ?? -1, ownPid: process.pid });
  });

  it("reports both names as shadowed (the test set up what it means to)", () => {
    for (const { stack } of [uncovered, socketHeld])
      expect(
        inv.findings.filter((f) => f.code === "shadowed-name" && f.ns === stack),
        stack,
      ).toHaveLength(1);
  });

  it("knows the owner (the user namespace its maker was in), through the uncovered pin or the socket", () => {
    for (const { stack, owner } of [uncovered, socketHeld]) {
      expect(inv.namespaces.find((n) => n.id === stack)?.owner, stack).toBe(owner);
      expect(inv.namespaces.find((n) => n.id === owner)).toMatchObject({ type: "user", initial: false });
      expect(inv.warnings.filter((w) => w.startsWith("hierarchy unknown") && w.includes(stack))).toEqual([]);
    }
  });
});
