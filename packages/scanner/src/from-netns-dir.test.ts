import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NsFacts } from "@nsatlas/native";
import { afterAll, describe, expect, it } from "vitest";
import { type DescribeNamespace, fromNetnsDir, recheckNetnsDir } from "./from-netns-dir.js";
import { NamespaceTable } from "./namespace-table.js";

const root = mkdtempSync(join(tmpdir(), "nsatlas-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
/** A fresh netns dir holding empty files of these names (the fake describe decides what they are). */
function netnsDir(...names: string[]): string {
  const dir = join(root, `netns-${dirs++}`);
  mkdirSync(dir);
  for (const name of names) writeFileSync(join(dir, name), "");
  return dir;
}

function facts(type: string, inode: number): NsFacts {
  return { inode, type, owner: 4026531837, ownerErrno: 0, parent: 0, parentErrno: 0, ownerUid: -1 };
}

/** What one open of an entry gives: the namespace, or the errno the open or nsfs ioctl fails with. */
type Outcome = NsFacts[] | string;

/** Stand-in for the nsfs ioctls: each entry answers its outcomes in turn, the last one for good. */
function fakeDescribe(outcomes: Record<string, Outcome[]>): DescribeNamespace & { calls: string[] } {
  const calls: string[] = [];
  const describe = (path: string): NsFacts[] => {
    calls.push(path);
    const name = path.slice(path.lastIndexOf("/") + 1);
    const queue = outcomes[name] ?? ["ENOENT"];
    const outcome = queue.length > 1 ? queue.shift() : queue[0];
    if (outcome === undefined || typeof outcome === "string") {
      throw Object.assign(new Error(`${path}: ${outcome}`), { code: outcome });
    }
    return outcome;
  };
  return Object.assign(describe, { calls });
}

describe("fromNetnsDir", () => {
  it("names the net namespace a netns dir entry is mounted from", () => {
    const dir = netnsDir("blue");
    const table = new NamespaceTable();
    const result = fromNetnsDir(dir, table, fakeDescribe({ blue: [[facts("net", 4026532177)]] }));
    expect(result).toEqual({ pending: [], warnings: [] });
    expect(table.get("net", 4026532177)).toMatchObject({ names: ["blue"], openPath: `${dir}/blue` });
  });

  it("gives every name of a namespace mounted twice, once each", () => {
    const dir = netnsDir("blue", "cyan");
    const table = new NamespaceTable();
    const ns = [facts("net", 4026532177)];
    fromNetnsDir(dir, table, fakeDescribe({ blue: [ns], cyan: [ns] }));
    fromNetnsDir(dir, table, fakeDescribe({ blue: [ns], cyan: [ns] }));
    expect(table.get("net", 4026532177)?.names).toEqual(["blue", "cyan"]);
  });

  it("keeps the open path of a namespace a process already showed", () => {
    const dir = netnsDir("blue");
    const table = new NamespaceTable();
    table.ensure("net", 4026532177, "/proc/523/ns/net");
    fromNetnsDir(dir, table, fakeDescribe({ blue: [[facts("net", 4026532177)]] }));
    expect(table.get("net", 4026532177)).toMatchObject({ names: ["blue"], openPath: "/proc/523/ns/net" });
  });

  it("puts a plain file aside, and names it when the recheck finds it mounted (ip netns add races)", () => {
    const dir = netnsDir("late");
    const table = new NamespaceTable();
    const describe = fakeDescribe({ late: ["ENOTTY", [facts("net", 4026532300)]] });
    const first = fromNetnsDir(dir, table, describe);
    expect(first).toEqual({ pending: ["late"], warnings: [] });
    expect(table.get("net", 4026532300)).toBeUndefined();
    expect(recheckNetnsDir(dir, first.pending, table, describe)).toEqual([]);
    expect(table.get("net", 4026532300)?.names).toEqual(["late"]);
  });

  it("treats EINVAL like ENOTTY: not nsfs yet", () => {
    const dir = netnsDir("odd");
    expect(fromNetnsDir(dir, new NamespaceTable(), fakeDescribe({ odd: ["EINVAL"] })).pending).toEqual(["odd"]);
  });

  it("warns about a file that is still not nsfs on the recheck", () => {
    const dir = netnsDir("stale");
    const table = new NamespaceTable();
    const describe = fakeDescribe({ stale: ["ENOTTY"] });
    const first = fromNetnsDir(dir, table, describe);
    const warnings = recheckNetnsDir(dir, first.pending, table, describe);
    expect(warnings).toEqual(["netns dir entry stale: not an nsfs mount (being created, or a stale file)"]);
    expect([...table.entries()]).toEqual([]);
  });

  it("drops an entry that vanished before it was opened (ip netns del), silently", () => {
    const dir = netnsDir("gone", "blue");
    const table = new NamespaceTable();
    const describe = fakeDescribe({ gone: ["ENOENT"], blue: [[facts("net", 4026532177)]] });
    expect(fromNetnsDir(dir, table, describe)).toEqual({ pending: [], warnings: [] });
    expect([...table.entries()].map((e) => e.names)).toEqual([["blue"]]);
  });

  it("drops an entry that vanished before the recheck, silently", () => {
    const dir = netnsDir("brief");
    const describe = fakeDescribe({ brief: ["ENOTTY", "ENOENT"] });
    const table = new NamespaceTable();
    const first = fromNetnsDir(dir, table, describe);
    expect(recheckNetnsDir(dir, first.pending, table, describe)).toEqual([]);
  });

  it("warns about an entry it may not open", () => {
    const dir = netnsDir("secret");
    const result = fromNetnsDir(dir, new NamespaceTable(), fakeDescribe({ secret: ["EACCES"] }));
    expect(result).toEqual({ pending: [], warnings: ["netns dir entry secret: cannot open (EACCES)"] });
  });

  it("warns about an entry that holds a namespace of another type", () => {
    const dir = netnsDir("notnet");
    const table = new NamespaceTable();
    const result = fromNetnsDir(dir, table, fakeDescribe({ notnet: [[facts("mnt", 4026532800)]] }));
    expect(result.warnings).toEqual(["netns dir entry notnet: is a mnt namespace, not net"]);
    expect(table.get("mnt", 4026532800)).toBeUndefined();
  });

  it("warns when nsfs gives no facts at all", () => {
    const dir = netnsDir("empty");
    const result = fromNetnsDir(dir, new NamespaceTable(), fakeDescribe({ empty: [[]] }));
    expect(result.warnings).toEqual(["netns dir entry empty: no namespace facts"]);
  });

  it("says nothing when the netns dir does not exist: no named stack since boot", () => {
    const describe = fakeDescribe({});
    expect(fromNetnsDir(join(root, "no-such-dir"), new NamespaceTable(), describe)).toEqual({
      pending: [],
      warnings: [],
    });
    expect(describe.calls).toEqual([]);
  });

  it("warns when the netns dir is not a directory", () => {
    const dir = netnsDir("file");
    const result = fromNetnsDir(join(dir, "file"), new NamespaceTable(), fakeDescribe({}));
    expect(result).toEqual({ pending: [], warnings: [`netns dir ${join(dir, "file")}: ENOTDIR`] });
  });

  it("visits entries in name order, so pending and warnings are stable between scans", () => {
    const dir = netnsDir("c", "a", "b", "d");
    const describe = fakeDescribe({ a: ["ENOTTY"], b: ["EACCES"], c: ["ENOTTY"], d: ["EPERM"] });
    const result = fromNetnsDir(dir, new NamespaceTable(), describe);
    expect(result.pending).toEqual(["a", "c"]);
    expect(result.warnings).toEqual([
      "netns dir entry b: cannot open (EACCES)",
      "netns dir entry d: cannot open (EPERM)",
    ]);
    expect(describe.calls).toEqual(["a", "b", "c", "d"].map((n) => `${dir}/${n}`));
  });
});
