import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { World, waitFor } from "@nsatlas/test-world";
import { afterAll, describe, expect, it } from "vitest";
import {
  listNsfsMounts,
  mountTablesChanged,
  NS_LINK_NAMES,
  processEventsRecvTimeout,
  readNetstacks,
  readNetstacksAsync,
  startProcessEvents,
  takeProcessEvents,
  walkProcesses,
  walkProcessesAsync,
  watchMountTable,
} from "./index.js";

// Real kernel objects made by this file (prefix world.prefix), removed in afterAll.
const world = new World();
afterAll(() => world.cleanup());

const addonPath = createRequire(import.meta.url).resolve(
  process.env.NSATLAS_NATIVE_SANITIZE === "1"
    ? "../build/sanitize/nsatlas_native.node"
    : "../build/nsatlas_native.node",
);

/** A fixture proc root whose pid 1 has a FIFO for its stat file: reading it blocks until the
 * test writes, so only a walk off the JS thread can let the test get there. */
function blockingProcRoot(): { root: string; fifo: string } {
  const root = `${world.tmpDir()}/proc-fifo-${Math.random().toString(36).slice(2)}`;
  world.run(["mkdir", "-p", `${root}/1/ns`]);
  for (const [i, name] of NS_LINK_NAMES.entries())
    symlinkSync(`${name.split("_")[0]}:[${4026531000 + i}]`, `${root}/1/ns/${name}`);
  world.run(["mkfifo", `${root}/1/stat`]);
  return { root, fifo: `${root}/1/stat` };
}

describe("async work: a walk or a stack read never holds the JS thread", () => {
  it("walkProcessesAsync resolves after the JS thread itself unblocked the walk", async () => {
    const { root, fifo } = blockingProcRoot();
    const walking = walkProcessesAsync(root, { fds: false, tasks: false, socketNs: false });
    // A synchronous walk would still sit in open(2) on the FIFO here, and this line never run.
    const writer = spawnSync("sh", ["-c", `printf '1 (fifo) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7 0' > ${fifo}`], {
      timeout: 10_000,
    });
    expect(writer.status).toBe(0);
    const records = await walking;
    expect(records.map((r) => r.stat)).toEqual(["1 (fifo) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7 0"]);
  });

  it("readNetstacksAsync resolves after the JS thread unblocked the stack's open", async () => {
    const { fifo } = blockingProcRoot();
    const reading = readNetstacksAsync({ stacks: [{ inode: 1, paths: [fifo], sockets: [] }], dump: true });
    const writer = spawnSync("sh", ["-c", `: > ${fifo}`], { timeout: 10_000 });
    expect(writer.status).toBe(0);
    const reply = await reading;
    // The FIFO is not the namespace asked for (inode 1): refused as stale, not read.
    expect(reply.stacks[0]).toMatchObject({ errStep: "open", err: 116 /* ESTALE */ });
  });

  it("walkProcessesAsync reads the same processes as walkProcesses (this one included)", async () => {
    const records = await walkProcessesAsync("/proc");
    expect(records.find((r) => r.pid === process.pid)?.ns).toEqual(
      walkProcesses("/proc").find((r) => r.pid === process.pid)?.ns,
    );
  });

  it("walkProcessesAsync rejects with the errno name of an unreadable proc root", async () => {
    await expect(walkProcessesAsync(`${world.tmpDir()}/missing`)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("a getter that throws inside a request becomes that exception, sync and async", async () => {
    const bad = {
      get inode(): number {
        throw new Error("boom from a getter");
      },
      paths: [],
      sockets: [],
    };
    expect(() => readNetstacks({ stacks: [bad], dump: true })).toThrow("boom from a getter");
    expect(() => readNetstacksAsync({ stacks: [bad], dump: true })).toThrow("boom from a getter");
  });
});

describe("the walk under fd exhaustion", () => {
  it("fails with EMFILE and leaves no fd behind", () => {
    // A child with a low fd limit fills its table but one slot: the walk opens the proc root
    // there and cannot dup it.
    const script = `
      const { createRequire } = require("node:module");
      const fs = require("node:fs");
      const addon = require(${JSON.stringify(addonPath)});
      const held = [];
      for (;;) { try { held.push(fs.openSync("/dev/null", "r")); } catch { break; } }
      fs.closeSync(held.pop());
      const codes = new Set();
      for (let i = 0; i < 20; i++) { try { addon.walk("/proc", {}); codes.add("ok"); } catch (e) { codes.add(e.code); } }
      // The one free slot is free again only if no walk kept an fd.
      let slotFree = false;
      try { fs.closeSync(fs.openSync("/dev/null", "r")); slotFree = true; } catch {}
      held.forEach((fd) => fs.closeSync(fd));
      console.log(JSON.stringify({ codes: [...codes], slotFree }));
    `;
    const out = execFileSync("prlimit", ["--nofile=96:96", process.execPath, "-e", script], {
      encoding: "utf8",
      env: process.env,
    });
    expect(JSON.parse(out)).toEqual({ codes: ["EMFILE"], slotFree: true });
  });
});

describe("process events", () => {
  it("the event socket has no receive timeout once subscribed (the thread sleeps until an event)", () => {
    expect(startProcessEvents()).toBeNull();
    expect(processEventsRecvTimeout()).toBe(0);
  });

  it("a worker that subscribed a callback and exited leaves the process unharmed by later events", async () => {
    const worker = new Worker(
      `const addon = require(${JSON.stringify(addonPath)});
       addon.procEventsStart(() => {});
       addon.procEventsTake();`,
      { eval: true },
    );
    await new Promise((resolve) => worker.once("exit", resolve));
    // Events now go to a callback whose env is gone: the cleanup hook must have detached it.
    takeProcessEvents();
    for (let i = 0; i < 20; i++) world.run(["true"]);
    await new Promise((r) => setTimeout(r, 200));
    expect(takeProcessEvents()).toBeGreaterThanOrEqual(20);
    // And this env can take over the callback.
    let called = 0;
    startProcessEvents(() => {
      called += 1;
    });
    takeProcessEvents();
    world.run(["true"]);
    expect(await waitFor(() => called > 0, 5_000)).toBe(true);
  });
});

describe("mount tables", () => {
  it("listNsfsMounts finds a pin in another mount namespace as that namespace's mountinfo shows it", async () => {
    const pinDir = world.tmpDir();
    const holder = await world.spawn(
      [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        `touch ${pinDir}/uts && mount --bind /proc/self/ns/uts ${pinDir}/uts && exec sleep 600`,
      ],
      { comm: "sleep" },
    );
    const mountinfo = readFileSync(`/proc/${holder.pid}/mountinfo`, "utf8")
      .split("\n")
      .filter((l) => l.includes(" - nsfs "))
      .map((l) => {
        const f = l.split(" ");
        return { root: f[3], mountPoint: f[4] };
      });
    const listed = listNsfsMounts(`/proc/${holder.pid}/ns/mnt`);
    expect(listed).toContainEqual({ root: expect.stringMatching(/^uts:\[\d+\]$/), mountPoint: `${pinDir}/uts` });
    expect(listed).toEqual(mountinfo);
  });

  it("mountTablesChanged tells which table changed since it was opened, once", () => {
    const dir = `${world.tmpDir()}/mnt-${world.prefix}`;
    mkdirSync(dir);
    world.defer(() => rmdirSync(dir));
    const fd = openSync("/proc/self/mountinfo", "r");
    try {
      expect(mountTablesChanged([fd])).toEqual([]);
      world.run(["mount", "-t", "tmpfs", `${world.prefix}-t`, dir]);
      world.run(["umount", dir]);
      expect(mountTablesChanged([fd])).toEqual([0]);
      expect(mountTablesChanged([fd])).toEqual([]);
    } finally {
      closeSync(fd);
    }
  });

  it("watchMountTable calls back after a mount in our namespace", async () => {
    const dir = `${world.tmpDir()}/watch-${world.prefix}`;
    mkdirSync(dir);
    world.defer(() => rmdirSync(dir));
    let calls = 0;
    expect(
      watchMountTable("/proc/self/mountinfo", () => {
        calls += 1;
      }),
    ).toBeNull();
    world.run(["mount", "-t", "tmpfs", `${world.prefix}-w`, dir]);
    world.run(["umount", dir]);
    expect(await waitFor(() => calls > 0, 5_000)).toBe(true);
  });
});

describe("netlink dumps while the table changes", () => {
  it("reads every address of a stack exactly once while another address comes and goes", async () => {
    const stack = world.netnsAdd("dumpi");
    const inode = Number(
      /\[(\d+)\]/.exec(world.run(["ip", "netns", "exec", stack.name, "readlink", "/proc/self/ns/net"]))?.[1],
    );
    // 2,000 addresses: a dump of them spans several recv batches, between which the kernel
    // checks whether the table changed (and flags the dump NLM_F_DUMP_INTR if so).
    const batch = `${world.tmpDir()}/addrs-${world.prefix}`;
    const lines = ["link set lo up"];
    for (let i = 0; i < 2000; i++) lines.push(`addr add 10.77.${i >> 8}.${i & 255}/32 dev lo`);
    writeFileSync(batch, `${lines.join("\n")}\n`);
    world.run(["ip", "-n", stack.name, "-batch", batch]);
    // A host-scope address is listed before the global ones: each time it comes or goes, every
    // address after it moves by one place, so a dump that went on across the change would skip
    // or repeat one (an unretried interrupted dump did so in 7 % of reads here).
    const flapper = await world.spawn(
      [
        "sh",
        "-c",
        `echo go; while :; do ip -n ${stack.name} addr add 10.78.0.1/32 dev lo scope host; ip -n ${stack.name} addr del 10.78.0.1/32 dev lo; done`,
      ],
      { line: /go/ },
    );
    try {
      for (let r = 0; r < 150; r++) {
        const reply = await readNetstacksAsync({ stacks: [{ inode, paths: [stack.path], sockets: [] }], dump: true });
        const facts = reply.stacks[0];
        expect(facts?.err).toBe(0);
        const fixed = (facts?.addresses ?? []).map((a) => a.address).filter((a) => a?.startsWith("10.77."));
        expect(fixed.length).toBe(2000);
        expect(new Set(fixed).size).toBe(2000);
      }
    } finally {
      flapper.child.kill("SIGKILL");
    }
  });
});
