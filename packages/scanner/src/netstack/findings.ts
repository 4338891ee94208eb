import type { Finding, Holder, NetStack } from "@nsatlas/protocol";
import { namespaceId } from "@nsatlas/protocol/ids";
import type { NamespaceEntry } from "../namespace-table.js";

/** Stable order, so that two scans of an unchanged host give the same array. */
export function sortFindings(findings: Finding[]): Finding[] {
  const key = (f: Finding) => `${f.code}\u0000${f.ns ?? ""}\u0000${f.message}`;
  return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Addresses that mean the same thing in every stack (loopback, link-local) are no news. */
const SHARED_SCOPES = new Set(["host", "link"]);

/** duplicate-address: the same address in several stacks. Normal (separate stacks are the
 * point of network namespaces) but worth showing: traffic to it depends on which stack asks. */
export function duplicateAddresses(stacks: readonly NetStack[]): Finding[] {
  const where = new Map<string, Map<string, number>>(); // address -> stack id -> prefixlen
  for (const s of stacks)
    for (const l of s.links)
      for (const a of l.addresses) {
        if (SHARED_SCOPES.has(a.scope)) continue;
        let stacksOf = where.get(a.address);
        if (!stacksOf) {
          stacksOf = new Map();
          where.set(a.address, stacksOf);
        }
        if (!stacksOf.has(s.ns)) stacksOf.set(s.ns, a.prefixlen);
      }
  const findings: Finding[] = [];
  for (const [address, stacksOf] of where) {
    if (stacksOf.size < 2) continue;
    for (const [ns, prefixlen] of stacksOf) {
      const others = [...stacksOf.keys()].filter((o) => o !== ns).sort();
      findings.push({
        code: "duplicate-address",
        ns,
        message: `${address}/${prefixlen} is also in ${others.join(", ")}`,
        refs: others,
      });
    }
  }
  return findings;
}

function holderText(h: Holder): string {
  switch (h.kind) {
    case "fd":
      return `fd ${h.fd} of pid ${h.pid}`;
    case "socket":
      return `a socket (fd ${h.fd}) of pid ${h.pid}`;
    case "bindmount":
      return `a pin at ${h.path}${h.mountNs ? ` in ${h.mountNs}` : ""}`;
    case "task":
      return `thread ${h.tid} of pid ${h.pid}`;
    case "children":
    case "process":
      return `pid ${h.pid}`;
  }
}

/** leaked-stack: a stack with no process (nor thread) inside and no name in the netns dir,
 * kept alive only by an fd, a socket or a pin somewhere: nothing uses it, nothing lists it.
 * When the scan could not read unreadableCount processes (not root), any of them may be
 * inside: such a stack is holders-unknown instead, since "no process" would be a guess. */
export function leakedStacks(
  entries: Iterable<NamespaceEntry>,
  initialNet: number | undefined,
  unreadableCount = 0,
): Finding[] {
  const findings: Finding[] = [];
  for (const e of entries) {
    if (e.type !== "net" || e.inode === initialNet || e.names.length > 0 || e.pids.length > 0) continue;
    if (e.holders.some((h) => h.kind === "task" || h.kind === "process")) continue;
    const pids = [...new Set(e.holders.flatMap((h) => ("pid" in h ? [h.pid] : [])))].sort((a, b) => a - b);
    const refs = [...new Set(e.holders.flatMap((h) => (h.kind === "bindmount" && h.mountNs ? [h.mountNs] : [])))];
    const kept = e.holders.map(holderText);
    const by = `${kept.length > 0 ? kept.slice(0, 3).join(", ") : "an unknown reference"}${kept.length > 3 ? ` and ${kept.length - 3} more` : ""}`;
    const finding: Finding =
      unreadableCount > 0
        ? {
            code: "holders-unknown",
            ns: namespaceId("net", e.inode),
            message: `no name and no process seen inside, but ${unreadableCount} process(es) could not be read and may be: held at least by ${by}`,
            refs,
          }
        : {
            code: "leaked-stack",
            ns: namespaceId("net", e.inode),
            message: `no process and no name, kept alive only by ${by}`,
            refs,
          };
    if (pids.length > 0) finding.pids = pids;
    findings.push(finding);
  }
  return findings;
}

/** unreadable-process: processes whose namespace links are denied even to root (a hardened
 * or foreign init); their stacks are seen only through other holders. Without root, one
 * not-privileged finding says it all instead. */
export function unreadableProcesses(
  unreadable: ReadonlyArray<{ pid: number; comm: string; errno: number }>,
  privileged: boolean,
): Finding[] {
  if (!privileged) return [];
  return unreadable.map((u) => ({
    code: "unreadable-process",
    message: `pid ${u.pid} (${u.comm}): namespace links unreadable even to root; its stack is listed only if something else holds it`,
    refs: [],
    pids: [u.pid],
  }));
}

/** not-privileged: the scan ran without the rights to see everything. */
export function notPrivileged(privileged: boolean, unreadableCount: number): Finding[] {
  if (privileged) return [];
  const more = unreadableCount > 0 ? `; ${unreadableCount} process(es) could not be read` : "";
  return [
    {
      code: "not-privileged",
      message: `the scan ran without root in the initial user namespace: other users' processes, their stacks and stack detail may be missing${more}`,
      refs: [],
    },
  ];
}
