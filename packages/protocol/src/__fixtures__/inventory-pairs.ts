import fc from "fast-check";
import { NAMESPACE_TYPES, type NamespaceTypeName } from "../ids.js";
import type { Container, Holder, Inventory, Namespace, Process } from "../inventory.js";
import type { Finding, NetStack } from "../netstack.js";

// Pairs of inventories as two scans of one host would give them: drawn from one pool of
// processes, namespaces, stacks and containers, each item absent or in one of two versions in
// either scan, so that pairs share most items (small diffs) as often as they differ. Every
// inventory keeps the scanner's invariants the codec relies on (change-codec.ts): membership
// derived from processes[].ns, holders and collections in the scanner's order.

const inodeOf = (type: NamespaceTypeName, slot: number) => 4026531000 + slot * 100 + NAMESPACE_TYPES.indexOf(type);
/** Which version of a pool item a scan has: none (0), the first (1) or the second (2). */
const pick = fc.integer({ min: 0, max: 2 });
const twoOf = <T>(arb: fc.Arbitrary<T>) => fc.tuple(arb, arb);
type Pooled<T> = { v: [T, T]; a: number; b: number };
const pooled = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<Pooled<T>> => fc.record({ v: twoOf(arb), a: pick, b: pick });
const versionOf = <T>(item: Pooled<T>, side: "a" | "b"): T | undefined =>
  item[side] === 0 ? undefined : item.v[item[side] - 1];

const processPart = fc.record({
  comm: fc.constantFrom("sleep", "bash"),
  cmdline: fc.constantFrom<string[]>(["sleep", "1"], ["bash", "-c", "x"]),
  state: fc.constantFrom(undefined, "S", "R", "T", "Z"),
  // null: a link the kernel no longer serves (a zombie's).
  slots: fc.tuple(...NAMESPACE_TYPES.map(() => fc.option(fc.integer({ min: 0, max: 2 }), { freq: 6, nil: null }))),
  container: fc.constantFrom(null, { runtime: "docker", id: "c1", podUid: null }),
});
type ProcessPart = typeof processPart extends fc.Arbitrary<infer T> ? T : never;

const extraHolder: fc.Arbitrary<Holder> = fc.oneof(
  fc.constantFrom<Holder>(
    { kind: "bindmount", path: "/run/netns/blue" },
    { kind: "bindmount", path: "/run/netns/red" },
  ),
  fc.record({
    kind: fc.constant("fd" as const),
    pid: fc.integer({ min: 1, max: 40 }),
    fd: fc.integer({ min: 3, max: 5 }),
  }),
  fc.record({ kind: fc.constant("task" as const), pid: fc.integer({ min: 1, max: 40 }), tid: fc.constant(99) }),
);
const namespacePart = fc.record({
  names: fc.subarray(["blue", "red"]),
  holders: fc.array(extraHolder, { maxLength: 2 }),
  owner: fc.constantFrom(null, "user:4026531006"),
});
const stackPart = fc.record({
  files: fc.constantFrom<Record<string, string>>({}, { hosts: "127.0.0.1 localhost\n" }),
  containers: fc.constantFrom<string[] | undefined>(undefined, ["c1"]),
});
const containerPart = fc.record({ name: fc.constantFrom("web1", "web2"), state: fc.constantFrom("running", "exited") });
const FINDINGS: Finding[] = [
  { code: "leaked-stack", ns: "net:4026531103", message: "nothing runs here", refs: [] },
  { code: "zombie-holder", message: "a zombie holds it", refs: [], pids: [7] },
];

export const inventoryPair = fc.record({
  processes: fc.uniqueArray(fc.record({ pid: fc.integer({ min: 1, max: 40 }), p: pooled(processPart) }), {
    selector: (r) => r.pid,
    maxLength: 20,
  }),
  namespaces: fc.array(pooled(namespacePart), {
    minLength: 3 * NAMESPACE_TYPES.length,
    maxLength: 3 * NAMESPACE_TYPES.length,
  }),
  stacks: fc.array(pooled(stackPart), { minLength: 3, maxLength: 3 }),
  containers: fc.array(pooled(containerPart), { minLength: 3, maxLength: 3 }),
  warnings: twoOf(fc.subarray(["cannot read /proc/9/fd", "no netns dir"])),
  findings: twoOf(fc.subarray(FINDINGS)),
  hostname: twoOf(fc.constantFrom("h1", "h2")),
  scannedAt: twoOf(fc.constantFrom("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z")),
});
export type InventoryPair = typeof inventoryPair extends fc.Arbitrary<infer T> ? T : never;

function processOf(pid: number, part: ProcessPart): Process {
  const ns = Object.fromEntries(
    NAMESPACE_TYPES.map((t, i) => {
      const slot = part.slots[i];
      return [t, slot === null || slot === undefined ? null : inodeOf(t, slot)];
    }),
  ) as Process["ns"];
  return {
    pid,
    ppid: 1,
    comm: part.comm,
    cmdline: part.cmdline,
    uid: 0,
    user: "root",
    startTime: pid * 10,
    nspid: [pid],
    container: part.container && { ...part.container, engine: null, name: null, image: null, pod: null, compose: null },
    ns,
    nsForChildren: { pid: ns.pid, time: ns.time },
    ...(part.state === undefined ? {} : { state: part.state }),
  };
}

/** One side of a pair, as a scan would have written it. */
export function inventoryOf(pair: InventoryPair, side: "a" | "b"): Inventory {
  const i = side === "a" ? 0 : 1;
  const processes = pair.processes
    .flatMap(({ pid, p }) => {
      const part = versionOf(p, side);
      return part ? [processOf(pid, part)] : [];
    })
    .sort((x, y) => x.pid - y.pid);
  const namespaces: Namespace[] = [];
  for (const [k, t] of NAMESPACE_TYPES.entries()) {
    for (let slot = 0; slot < 3; slot++) {
      const inode = inodeOf(t, slot);
      const item = pair.namespaces[k * 3 + slot] as Pooled<
        typeof namespacePart extends fc.Arbitrary<infer T> ? T : never
      >;
      const members = processes.filter((p) => p.ns[t] === inode).map((p) => p.pid);
      // A namespace nothing else holds is listed while a process is in it.
      const part = versionOf(item, side) ?? (members.length > 0 ? item.v[0] : undefined);
      if (!part) continue;
      namespaces.push({
        id: `${t}:${inode}`,
        type: t,
        inode,
        initial: slot === 0,
        names: t === "net" ? part.names : [],
        pids: members,
        holders: [...members.map((pid): Holder => ({ kind: "process", pid })), ...part.holders],
        owner: t === "user" ? null : part.owner,
      });
    }
  }
  namespaces.sort((x, y) => (x.type === y.type ? x.inode - y.inode : x.type < y.type ? -1 : 1));
  const netstacks = pair.stacks.flatMap((item, slot): NetStack[] => {
    const part = versionOf(item, side);
    if (!part) return [];
    const { containers, ...rest } = part;
    return [
      {
        ns: `net:${inodeOf("net", slot)}`,
        links: [],
        routes: [],
        listening: [],
        ...rest,
        ...(containers ? { containers } : {}),
      },
    ];
  });
  const containers = pair.containers.flatMap((item, n): Container[] => {
    const part = versionOf(item, side);
    if (!part) return [];
    const base = { id: `c${n}`, engine: "docker" as const, image: "busybox", pid: null, pod: null, compose: null };
    return [{ ...base, ...part, labels: {}, ns: null }];
  });
  return {
    ...scanOf(processes, namespaces),
    host: { ...scanOf([], []).host, hostname: pair.hostname[i] as string, scannedAt: pair.scannedAt[i] as string },
    warnings: pair.warnings[i] as string[],
    netstacks,
    findings: pair.findings[i] as Finding[],
    containers,
  };
}

/** An inventory of these processes and namespaces, nothing else. */
export function scanOf(processes: Process[], namespaces: Namespace[]): Inventory {
  const host = {
    hostname: "h",
    bootId: "b",
    kernel: "6.1.0",
    scannedAt: "2026-01-01T00:00:00.000Z",
    initialFrom: "pid1" as const,
    privileged: true,
  };
  return { schema: "nsatlas.inventory/v1", host, namespaces, processes, warnings: [], findings: [], containers: [] };
}

/** A sleeping process in the first namespace of every type. */
export const sleeper = (pid: number): Process =>
  processOf(pid, {
    comm: "sleep",
    cmdline: ["sleep", "1"],
    state: undefined,
    slots: [0, 0, 0, 0, 0, 0, 0, 0],
    container: null,
  });

/** The first net namespace (initial), listing `pids` as its members the way a scan does. */
export const crowdedNet = (pids: number[]): Namespace => ({
  id: `net:${inodeOf("net", 0)}`,
  type: "net",
  inode: inodeOf("net", 0),
  initial: true,
  names: [],
  pids,
  holders: pids.map((pid) => ({ kind: "process" as const, pid })),
  owner: null,
});
