import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import type { NsFacts } from "@nsatlas/native";
import { parseNsLink } from "../parse/ns-link.js";

const INITIAL_USER = 4026531837;
/** The hierarchy the fixture pretends the kernel has: inode -> [owner user ns, parent, owner uid]. */
const TREE: Record<number, [number, number, number]> = {
  4026531837: [0, 0, 0],
  4026532499: [INITIAL_USER, INITIAL_USER, 1000], // hidden: no process holds it
  4026532500: [4026532499, 4026532499, 1000],
  4026532501: [4026532500, 4026531836, -1],
  4026532510: [4026532500, 0, -1],
  4026532511: [4026532500, 0, -1],
  4026532512: [4026532500, 0, -1],
  4026532513: [4026532500, 0, -1],
};

function fact(type: string, inode: number): NsFacts {
  const [owner, parent, ownerUid] = TREE[inode] ?? [INITIAL_USER, 0, -1];
  const isTree = type === "user" || type === "pid";
  return {
    inode,
    type,
    owner,
    ownerErrno: owner === 0 ? 1 : 0,
    parent: isTree ? parent : 0,
    parentErrno: isTree && parent === 0 ? 1 : 0,
    ownerUid: type === "user" ? ownerUid : -1,
  };
}

/** Stand-in for the nsfs ioctls on fixture trees: a symlink (or a file holding) `type:[inode]`
 * is "a namespace"; an empty file is not nsfs (ENOTTY); a missing path is ENOENT. */
export function fixtureDescribe(path: string): NsFacts[] {
  const text = lstatSync(path).isSymbolicLink() ? readlinkSync(path) : readFileSync(path, "utf8").trim();
  const ns = parseNsLink(text);
  if (!ns) throw Object.assign(new Error(`${path}: not nsfs`), { code: "ENOTTY" });
  const out = [fact(ns.type, ns.inode)];
  const seen = new Set([`${ns.type}:${ns.inode}`]);
  for (let i = 0; i < out.length; i++) {
    const f = out[i] as NsFacts;
    for (const [type, inode] of [
      ["user", f.owner],
      [f.type, f.parent],
    ] as const) {
      if (inode === 0 || seen.has(`${type}:${inode}`)) continue;
      seen.add(`${type}:${inode}`);
      out.push(fact(type, inode));
    }
  }
  return out;
}
