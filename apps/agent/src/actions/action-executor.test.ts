import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActionFrame } from "@nsatlas/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActionExecutor } from "./action-executor.js";
import { execFileRunner, ProgramNotAllowedError } from "./command-runner.js";

let dir: string;
let ran: string[][];
let order: string[];
let executor: ActionExecutor;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-exec-"));
  mkdirSync(join(dir, "netns"));
  ran = [];
  order = [];
  executor = new ActionExecutor({
    netnsDir: join(dir, "netns"),
    etcNetnsDir: join(dir, "etc-netns"),
    ownNetInode: () => statSync("/proc/self/ns/net").ino,
    run: async (argv) => {
      ran.push([...argv]);
      order.push("run");
      return { exitCode: 0, stdout: "", stderr: "" };
    },
    afterChange: () => order.push("rescan"),
    log: () => {},
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const frame = (action: unknown, command: string[] | null, extra: Partial<ActionFrame> = {}): unknown => ({
  type: "action",
  requestId: `r-${++n}`,
  action,
  targets: {},
  command,
  writes: null,
  ...extra,
});

describe("ActionExecutor", () => {
  it("runs the planned argv after re-validating it, and rescans before answering", async () => {
    const r = await executor.handle(
      frame({ type: "netns.create", params: { name: "blue" } }, ["ip", "netns", "add", "blue"]),
    );
    expect(r).toMatchObject({ status: "succeeded", command: ["ip", "netns", "add", "blue"], exitCode: 0, error: null });
    expect(ran).toEqual([["ip", "netns", "add", "blue"]]);
    expect(order).toEqual(["run", "rescan"]);
  });

  it("refuses hostile names in a forged frame and runs nothing", async () => {
    for (const name of ["; rm -rf /", "../x", "123", "ünï", "", "x".repeat(10_240)]) {
      const r = await executor.handle(frame({ type: "netns.create", params: { name } }, ["ip", "netns", "add", name]));
      expect(r).toMatchObject({ status: "refused", error: { code: "BAD_ACTION" } });
    }
    expect(ran).toEqual([]);
  });

  it("refuses a command that its action does not make, a replayed request and a target that is not the planned stack", async () => {
    const forged = await executor.handle(
      frame({ type: "netns.create", params: { name: "blue" } }, ["ip", "netns", "del", "blue"]),
    );
    expect(forged.error?.code).toBe("PLAN_MISMATCH");
    const f = frame({ type: "netns.create", params: { name: "blue" } }, ["ip", "netns", "add", "blue"]);
    await executor.handle(f);
    expect((await executor.handle(f)).error?.code).toBe("DUPLICATE_REQUEST");
    const stale = await executor.handle(
      frame(
        { type: "link.setState", params: { ns: "green", link: "lo", up: true } },
        ["ip", "-n", "green", "link", "set", "dev", "lo", "up"],
        {
          targets: { ns: { via: "name", name: "green", inode: 4026532999 } },
        },
      ),
    );
    expect(stale).toMatchObject({ status: "refused", error: { code: "TARGET_CHANGED" } });
    expect(ran).toEqual([["ip", "netns", "add", "blue"]]);
  });

  it("reports a failing command as failed with its stderr", async () => {
    const failing = new ActionExecutor({
      netnsDir: join(dir, "netns"),
      etcNetnsDir: join(dir, "etc-netns"),
      ownNetInode: () => 1,
      run: async () => ({ exitCode: 1, stdout: "", stderr: "Cannot create namespace file: File exists\n" }),
      afterChange: () => {},
      log: () => {},
    });
    const r = await failing.handle(
      frame({ type: "netns.create", params: { name: "blue" } }, ["ip", "netns", "add", "blue"]),
    );
    expect(r).toMatchObject({
      status: "failed",
      exitCode: 1,
      error: { code: "COMMAND_FAILED", message: "Cannot create namespace file: File exists" },
    });
  });

  it("writes and deletes /etc/netns files under its root, never through a symlink", async () => {
    for (const name of ["blue", "evil"]) pinOwnStack(name);
    const write = (name: string) =>
      frame(
        { type: "netns.file.write", params: { name, file: "resolv.conf", content: "nameserver 10.0.0.53\n" } },
        null,
        { writes: `/etc/netns/${name}/resolv.conf`, targets: nameTarget(name) },
      );
    const r = await executor.handle(write("blue"));
    const path = join(dir, "etc-netns", "blue", "resolv.conf");
    expect(r).toMatchObject({ status: "succeeded", writes: path });
    expect(readFileSync(path, "utf8")).toBe("nameserver 10.0.0.53\n");
    const del = await executor.handle(
      frame({ type: "netns.file.delete", params: { name: "blue", file: "resolv.conf" } }, null, {
        writes: "/etc/netns/blue/resolv.conf",
        targets: nameTarget("blue"),
      }),
    );
    expect(del.status).toBe("succeeded");
    expect(existsSync(join(dir, "etc-netns", "blue"))).toBe(false);
    symlinkSync("/tmp", join(dir, "etc-netns", "evil"));
    expect((await executor.handle(write("evil"))).error?.code).toBe("FILE_REFUSED");
  });

  it("refuses netns.delete and netns.file.* frames that lack the planned stack's target", async () => {
    pinOwnStack("blue");
    const del = { type: "netns.delete", params: { name: "blue" } };
    const write = { type: "netns.file.write", params: { name: "blue", file: "hosts", content: "10.0.0.1 x\n" } };
    const remove = { type: "netns.file.delete", params: { name: "blue", file: "hosts" } };
    const ghost = { type: "netns.file.write", params: { name: "ghost", file: "hosts", content: "10.0.0.1 x\n" } };
    const refused = [
      frame(del, ["ip", "netns", "del", "blue"]),
      frame(del, ["ip", "netns", "del", "blue"], { targets: { name: { via: "name", name: "blue" } } }),
      frame(del, ["ip", "netns", "del", "blue"], { targets: { name: { via: "name", name: "red", inode: 1 } } }),
      frame(write, null, { writes: "/etc/netns/blue/hosts" }),
      frame(remove, null, { writes: "/etc/netns/blue/hosts" }),
      // A stack that does not exist: no nsfs file at netnsDir/ghost.
      frame(ghost, null, {
        writes: "/etc/netns/ghost/hosts",
        targets: { name: { via: "name", name: "ghost", inode: 7 } },
      }),
    ];
    for (const f of refused) {
      const r = await executor.handle(f);
      expect(r, JSON.stringify(f)).toMatchObject({ status: "refused", error: { code: "TARGET_CHANGED" } });
    }
    expect(ran).toEqual([]);
    expect(existsSync(join(dir, "etc-netns"))).toBe(false);
    const setState = { type: "link.setState", params: { ns: "blue", link: "lo", up: true } };
    const noInode = await executor.handle(
      frame(setState, ["ip", "-n", "blue", "link", "set", "dev", "lo", "up"], {
        targets: { ns: { via: "name", name: "blue" } },
      }),
    );
    expect(noInode).toMatchObject({ status: "refused", error: { code: "TARGET_CHANGED" } });
    expect(ran).toEqual([]);
    const ok = await executor.handle(frame(del, ["ip", "netns", "del", "blue"], { targets: nameTarget("blue") }));
    expect(ok.status).toBe("succeeded");
    expect(ran).toEqual([["ip", "netns", "del", "blue"]]);
  });
});

/** Stands a stack name in the test's netns dir for our own stack (a symlink to an nsfs file
 * passes the same statfs and inode checks as a pin). */
function pinOwnStack(name: string): void {
  symlinkSync("/proc/self/ns/net", join(dir, "netns", name));
}
const nameTarget = (name: string) => ({
  name: { via: "name" as const, name, inode: statSync("/proc/self/ns/net").ino },
});

describe("execFileRunner", () => {
  it("runs only ip, umount and nsenter (which itself runs only ip or umount), with argv and no shell", async () => {
    const run = execFileRunner(5_000);
    await expect(run(["sh", "-c", "id"])).rejects.toBeInstanceOf(ProgramNotAllowedError);
    await expect(run(["nsenter", "--mount=/proc/1/ns/mnt", "sh", "-c", "id"])).rejects.toBeInstanceOf(
      ProgramNotAllowedError,
    );
    await expect(run(["nsenter", "--net=/proc/1/ns/net"])).rejects.toBeInstanceOf(ProgramNotAllowedError);
    const r = await run(["ip", "-V"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/iproute2/);
    const bad = await run(["ip", "link", "show", "dev", "nsat-no-such;id"]);
    expect(bad.exitCode).not.toBe(0);
  });
});
