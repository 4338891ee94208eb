import { readlinkSync } from "node:fs";
import { World } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CachedMountTables,
  ListmountReader,
  MOUNT_TABLES_ENV,
  mountinfoReader,
  onNsfsMountsChange,
} from "./mount-tables.js";
import { scan } from "./scan.js";

// A sandbox of our own: a private mount namespace whose one pin (a uts namespace bound onto
// a file) exists only there. Assertions concern that pin only.
const world = new World();
let holder: number;
let pinDir: string;
let mntNs: number;
const inode = (pid: number, type: string) => Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${type}`))?.[1]);

beforeAll(async () => {
  pinDir = world.tmpDir();
  const p = await world.spawn(
    [
      "unshare",
      "--mount",
      "--uts",
      "--propagation",
      "private",
      "sh",
      "-c",
      `touch ${pinDir}/uts && mount --bind /proc/self/ns/uts ${pinDir}/uts && exec sleep 600`,
    ],
    { comm: "sleep" },
  );
  holder = p.pid;
  mntNs = inode(holder, "mnt");
});
afterAll(() => world.cleanup());

const scanWith = (env: string | undefined) => {
  const saved = process.env[MOUNT_TABLES_ENV];
  if (env === undefined) delete process.env[MOUNT_TABLES_ENV];
  else process.env[MOUNT_TABLES_ENV] = env;
  try {
    return scan({ procRoot: "/proc", netnsDir: "/run/netns", euid: 0, ownPid: process.pid, netstacks: false });
  } finally {
    if (saved === undefined) delete process.env[MOUNT_TABLES_ENV];
    else process.env[MOUNT_TABLES_ENV] = saved;
  }
};

describe("pins in another mount namespace, both ways of reading mount tables", () => {
  it("listmount and mountinfo find the same nsfs mounts of the sandbox", () => {
    const warnings: string[] = [];
    const listmount = new ListmountReader();
    const listed = listmount.read(mntNs, [holder], "/proc", warnings);
    expect(listmount.fallbackReason).toBeNull();
    const formatted = mountinfoReader.read(mntNs, [holder], "/proc", warnings);
    expect(warnings).toEqual([]);
    expect(listed?.mounts).toContainEqual({ root: `uts:[${inode(holder, "uts")}]`, mountPoint: `${pinDir}/uts` });
    expect(listed).toEqual(formatted);
  });

  for (const mode of [undefined, "mountinfo"]) {
    it(`a scan (${MOUNT_TABLES_ENV}=${mode ?? "unset: listmount"}) lists the sandbox's pin as a bind mount holder`, () => {
      const inv = scanWith(mode);
      const uts = inv.namespaces.find((n) => n.id === `uts:${inode(holder, "uts")}`);
      expect(uts?.holders).toContainEqual({ kind: "bindmount", path: `${pinDir}/uts`, mountNs: `mnt:${mntNs}` });
    });
  }
});

describe("CachedMountTables", () => {
  it("re-reads a mount table only after it changed, and sees the new pin then", () => {
    const tables = new CachedMountTables(new ListmountReader());
    const warnings: string[] = [];
    // The sandbox also shows copies of the host's pins (mount propagation); ours are in pinDir.
    const ours = () => {
      tables.begin();
      const got = tables.read(mntNs, [holder], "/proc", warnings);
      tables.end(new Set([mntNs]));
      return (got?.mounts ?? [])
        .map((m) => m.mountPoint)
        .filter((p) => p.startsWith(`${pinDir}/`))
        .sort();
    };
    try {
      expect(ours()).toEqual([`${pinDir}/uts`]);
      expect(ours()).toEqual([`${pinDir}/uts`]);
      expect(tables.reads).toBe(1);
      world.run([
        "nsenter",
        `--mount=/proc/${holder}/ns/mnt`,
        "sh",
        "-c",
        `touch ${pinDir}/ipc && mount --bind /proc/self/ns/ipc ${pinDir}/ipc`,
      ]);
      expect(ours()).toEqual([`${pinDir}/ipc`, `${pinDir}/uts`]);
      expect(tables.reads).toBe(2);
      expect(warnings).toEqual([]);
    } finally {
      tables.close();
    }
  });

  it("drops a namespace that the scan no longer saw", () => {
    const tables = new CachedMountTables(new ListmountReader());
    try {
      tables.begin();
      tables.read(mntNs, [holder], "/proc", []);
      tables.end(new Set());
      tables.begin();
      tables.read(mntNs, [holder], "/proc", []);
      tables.end(new Set([mntNs]));
      expect(tables.reads).toBe(2);
    } finally {
      tables.close();
    }
  });
});

describe("onNsfsMountsChange", () => {
  it("passes a pin's mount on and ignores a tmpfs mount", () => {
    let calls = 0;
    const signal = onNsfsMountsChange(`/proc/${holder}/mountinfo`, () => {
      calls += 1;
    });
    const inSandbox = (script: string) => world.run(["nsenter", `--mount=/proc/${holder}/ns/mnt`, "sh", "-c", script]);
    inSandbox(`mkdir -p ${pinDir}/t && mount -t tmpfs ${world.prefix}-f ${pinDir}/t`);
    signal();
    expect(calls).toBe(0);
    inSandbox(`touch ${pinDir}/net && mount --bind /proc/self/ns/net ${pinDir}/net`);
    signal();
    expect(calls).toBe(1);
    signal();
    expect(calls).toBe(1);
  });
});
