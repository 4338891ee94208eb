import type { Finding, Link } from "@nsatlas/protocol";
import type { UiInventory } from "./inventory-types";
import { stackTitles } from "./stack-names";

/** The kinds of wire the wiring view tells apart (each has its own look and a legend entry). */
export const WIRE_KINDS = ["veth", "member", "parent", "tun", "cross-stack"] as const;
export type WireKind = (typeof WIRE_KINDS)[number];

/** One row of a stack's box: an interface (a port on the box), or a process that owns a tun/tap. */
export interface WiringPort {
  /** `net:<inode>#<ifindex>` for an interface, `pid:<pid>` for an owner process. */
  id: string;
  stack: string;
  name: string;
  /** Link kind (veth, bridge, macvlan, …) or "process". */
  kind: string;
  state: string;
  /** The kernel says it cannot carry traffic (admin down, or no carrier). */
  down: boolean;
  addresses: string[];
  /** Addresses of this port that a duplicate-address finding names. */
  duplicates: string[];
  /** Id of the bridge (or bond) row this port is a member of, in the same stack. */
  memberOf: string | null;
  link: Link | null;
}

export interface WiringStack {
  id: string;
  title: string;
  initial: boolean;
  processes: number;
  /** Ports in drawing order: plain interfaces, then each bridge followed by its members, then owner processes. */
  ports: WiringPort[];
  findings: Finding[];
  leaked: boolean;
  /** Keys to group by (null: the stack belongs to no such group). */
  groups: { container: string | null; pod: string | null; prefix: string | null };
}

export interface Wire {
  id: string;
  kind: WireKind;
  from: string;
  /** A port id, or a stack id when the other end is in a stack but not a known port there. */
  to: string;
  label: string;
  down: boolean;
}

export interface WiringModel {
  stacks: WiringStack[];
  wires: Wire[];
  /** Port or stack id -> the stack drawn around it. */
  stackOf: ReadonlyMap<string, string>;
}

const PARENT_KINDS = new Set(["macvlan", "macvtap", "ipvlan", "ipvtap"]);

/** "nsat3f9a-red", "web_1", "cni-1234…" -> "nsat3f9a", "web", "cni": what a person would group by. */
export function namePrefix(title: string): string | null {
  const m = /^([A-Za-z][A-Za-z0-9]*?)(?:[-_.:/ ]|\d+$)/.exec(title);
  return m?.[1] ?? null;
}

const isDown = (l: Link) => l.state === "DOWN" || l.state === "LOWERLAYERDOWN" || !l.flags.includes("UP");
const portId = (ns: string, ifindex: number) => `${ns}#${ifindex}`;

function orderPorts(ports: WiringPort[]): WiringPort[] {
  const byName = (a: WiringPort, b: WiringPort) => a.name.localeCompare(b.name);
  const masters = ports.filter((p) => ports.some((q) => q.memberOf === p.id)).sort(byName);
  const plain = ports.filter((p) => p.kind !== "process" && !p.memberOf && !masters.includes(p)).sort(byName);
  const out = [...plain];
  for (const m of masters) out.push(m, ...ports.filter((p) => p.memberOf === m.id).sort(byName));
  return [...out, ...ports.filter((p) => p.kind === "process").sort(byName)];
}

/** The wiring of a host's stacks: boxes with their interfaces as ports, and the wires between
 * them, each pair of veth ends once. Loopback devices are left out (every stack has one). */
export function buildWiring(inv: UiInventory): WiringModel {
  const titles = stackTitles(inv);
  const nets = new Map(inv.namespaces.filter((n) => n.type === "net").map((n) => [n.id, n]));
  const procs = new Map(inv.processes.map((p) => [p.pid, p]));
  const findings = inv.findings ?? [];
  const stacks = new Map<string, WiringStack>();
  const wires = new Map<string, Wire>();
  const stackOf = new Map<string, string>();
  const ownerStack = new Map<number, string>();
  for (const s of inv.netstacks ?? []) {
    const mine = findings.filter((f) => f.ns === s.ns);
    const dupMessages = mine.filter((f) => f.code === "duplicate-address").map((f) => f.message);
    const sandbox = s.sandbox ?? null;
    const title = titles.get(s.ns) ?? s.ns;
    const ports: WiringPort[] = [];
    const masterIds = new Map(s.links.map((l) => [l.name, portId(s.ns, l.ifindex)]));
    for (const l of s.links) {
      if (l.kind === "loopback") continue;
      const addresses = l.addresses.map((a) => `${a.address}/${a.prefixlen}`);
      ports.push({
        id: portId(s.ns, l.ifindex),
        stack: s.ns,
        name: l.name,
        kind: l.kind,
        state: l.state,
        down: isDown(l),
        addresses,
        duplicates: addresses.filter((a) => dupMessages.some((m) => m.startsWith(`${a} `))),
        memberOf: l.master ? (masterIds.get(l.master) ?? null) : null,
        link: l,
      });
      for (const pid of l.tunOwners) {
        const net = procs.get(pid)?.ns.net;
        if (!ownerStack.has(pid)) ownerStack.set(pid, net ? `net:${net}` : s.ns);
      }
    }
    stacks.set(s.ns, {
      id: s.ns,
      title,
      initial: nets.get(s.ns)?.initial ?? false,
      processes: nets.get(s.ns)?.pids.length ?? 0,
      ports,
      findings: mine,
      leaked: mine.some((f) => f.code === "leaked-stack"),
      groups: {
        container:
          sandbox?.engine && !sandbox.pod
            ? sandbox.engine
            : s.containers && s.containers.length > 0
              ? "containers"
              : null,
        pod: sandbox?.pod ? sandbox.pod.namespace : null,
        prefix: namePrefix(title),
      },
    });
  }
  // Owner processes are drawn in the stack they live in (the tun's own stack when theirs has no box).
  for (const [pid, net] of ownerStack) {
    const stack = stacks.get(net) ? net : null;
    const p = procs.get(pid);
    const host = stack ?? [...stacks.values()].find((s) => s.ports.some((q) => q.link?.tunOwners.includes(pid)))?.id;
    const box = host ? stacks.get(host) : undefined;
    if (!box) continue;
    box.ports.push({
      id: `pid:${pid}`,
      stack: box.id,
      name: `${p?.comm ?? "?"} (${pid})`,
      kind: "process",
      state: p?.state ?? "",
      down: false,
      addresses: [],
      duplicates: [],
      memberOf: null,
      link: null,
    });
  }
  const portsById = new Map<string, WiringPort>();
  for (const s of stacks.values()) {
    s.ports = orderPorts(s.ports);
    for (const p of s.ports) {
      portsById.set(p.id, p);
      stackOf.set(p.id, s.id);
    }
    stackOf.set(s.id, s.id);
  }
  const add = (w: Omit<Wire, "down">) => {
    const a = portsById.get(w.from);
    const b = portsById.get(w.to);
    if (!stackOf.has(w.from) || !stackOf.has(w.to)) return;
    wires.set(w.id, { ...w, down: Boolean(a?.down || b?.down) });
  };
  for (const s of stacks.values())
    for (const p of s.ports) {
      const l = p.link;
      if (p.memberOf) add({ id: `${p.id}>${p.memberOf}`, kind: "member", from: p.id, to: p.memberOf, label: "" });
      if (!l) continue;
      if (l.peer) {
        const other = portId(l.peer.ns, l.peer.ifindex);
        const [a, b] = [p.id, other].sort() as [string, string];
        const label = a === p.id ? `${l.name} ⇄ ${l.peer.name}` : `${l.peer.name} ⇄ ${l.name}`;
        if (!wires.has(`${a}=${b}`)) add({ id: `${a}=${b}`, kind: "veth", from: a, to: b, label });
        continue;
      }
      for (const pid of l.tunOwners)
        add({ id: `${p.id}>pid:${pid}`, kind: "tun", from: p.id, to: `pid:${pid}`, label: "" });
      const parentName = l.parent ?? null;
      const parentStack = l.linkNs ?? s.id;
      const parent = parentName
        ? stacks.get(parentStack)?.ports.find((q) => q.name === parentName && q.kind !== "process")?.id
        : undefined;
      const kind: WireKind = PARENT_KINDS.has(l.kind) ? "parent" : "cross-stack";
      if (parent) add({ id: `${p.id}>${parent}`, kind, from: p.id, to: parent, label: `${l.kind} on ${parentName}` });
      else if (l.linkNs && l.linkNs !== s.id)
        add({ id: `${p.id}>${l.linkNs}`, kind, from: p.id, to: l.linkNs, label: `${l.kind}, other end there` });
    }
  return { stacks: [...stacks.values()], wires: [...wires.values()], stackOf };
}
