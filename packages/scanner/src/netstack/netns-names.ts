import { readdirSync, realpathSync } from "node:fs";
import type { Finding } from "@nsatlas/protocol";
import { namespaceId } from "@nsatlas/protocol/ids";
import type { DescribeNamespace } from "../from-netns-dir.js";
import type { NamespaceTable } from "../namespace-table.js";
import type { MountEntry } from "../parse/mountinfo.js";
import { parseNsLink } from "../parse/ns-link.js";

export interface NetnsNameInput {
  /** The netns dir as mountinfo writes paths (symlinks resolved: /var/run/netns is /run/netns). */
  netnsDir: string;
  /** Entries a readdir of the netns dir shows. */
  visible: readonly string[];
  /** Entries that opened a network namespace -> its id. */
  named: ReadonlyMap<string, string>;
  /** Mounts of the mount namespace the netns dir was read in, in mountinfo order. */
  mounts: readonly MountEntry[];
  /** Why an entry does not open a network namespace now, or null when it does (a late `ip netns add`). */
  whyUnreadable: (name: string) => string | null;
}

const parentDir = (path: string) => path.slice(0, path.lastIndexOf("/")) || "/";
const isUnder = (path: string, dir: string) => dir === "/" || path.startsWith(`${dir}/`);

/** shadowed-name and unreadable-name findings. `ip netns add NAME` bind-mounts the stack on
 * NETNS_DIR/NAME; a later mount on that path, or on the dir itself, hides the pin: the name
 * then opens something else (or nothing) while the stack lives on under the cover. mountinfo
 * lists a mount namespace's mounts in the order they were made, so a mount is covered when a
 * later one sits on the same path or on a directory above it. */
export function netnsNameFindings(input: NetnsNameInput): Finding[] {
  const findings: Finding[] = [];
  const shadowed = new Set<string>();
  input.mounts.forEach((m, i) => {
    if (m.fsType !== "nsfs" || parentDir(m.mountPoint) !== input.netnsDir) return;
    const ns = parseNsLink(m.root);
    if (ns?.type !== "net") return;
    const covered = input.mounts
      .slice(i + 1)
      .some((later) => later.mountPoint === m.mountPoint || isUnder(m.mountPoint, later.mountPoint));
    if (!covered) return;
    const name = m.mountPoint.slice(input.netnsDir.length + 1);
    const id = namespaceId("net", ns.inode);
    const now = input.named.get(name);
    if (now === id) return; // a copy of the pin (mount propagation, rbind) is the visible one
    shadowed.add(name);
    findings.push({
      code: "shadowed-name",
      ns: id,
      message:
        `netns name "${name}" no longer reaches ${id}: another mount covers ${m.mountPoint}` +
        (now ? `, and "ip netns exec ${name}" enters ${now} instead` : ""),
      refs: now ? [now] : [],
    });
  });
  for (const name of input.visible) {
    if (input.named.has(name) || shadowed.has(name)) continue;
    const why = input.whyUnreadable(name);
    if (why === null) continue;
    findings.push({
      code: "unreadable-name",
      message: `netns dir entry "${name}" does not open a network namespace (${why}); "ip netns exec ${name}" fails`,
      refs: [],
    });
  }
  return findings;
}

/** Reads what netnsNameFindings needs: the netns dir's entries, and for an entry that opens
 * no stack, why (the nsfs ioctl answers ENOTTY on an ordinary file). */
export function checkNetnsNames(
  netnsDir: string,
  table: NamespaceTable,
  mounts: readonly MountEntry[],
  describe: DescribeNamespace,
): Finding[] {
  let visible: string[];
  try {
    visible = readdirSync(netnsDir).sort();
  } catch {
    return []; // no netns dir: no names (fromNetnsDir already warned if it is unreadable)
  }
  const named = new Map<string, string>();
  for (const e of table.entries())
    if (e.type === "net") for (const n of e.names) named.set(n, namespaceId("net", e.inode));
  let realDir = netnsDir;
  try {
    realDir = realpathSync(netnsDir);
  } catch {
    // Vanished since the readdir: keep the given path, mountinfo will simply not match.
  }
  const whyUnreadable = (name: string): string | null => {
    try {
      const type = describe(`${netnsDir}/${name}`)[0]?.type;
      return type === "net" ? null : `it is a ${type ?? "unknown"} namespace`;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return null; // removed meanwhile (`ip netns del`)
      if (code === "ENOTTY" || code === "EINVAL") return "not an nsfs mount: a stale file, or one being created";
      return `cannot open: ${code ?? err}`;
    }
  };
  return netnsNameFindings({ netnsDir: realDir, visible, named, mounts, whyUnreadable });
}
