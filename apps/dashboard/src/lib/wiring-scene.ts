import { BOX, boxHeight } from "./wiring-geometry";
import type { Wire, WireKind, WiringModel, WiringPort, WiringStack } from "./wiring-model";

export const GROUP_MODES = ["none", "container", "pod", "prefix"] as const;
export type GroupMode = (typeof GROUP_MODES)[number];

/** What is drawn: a stack's box, or a collapsed group standing for its members. */
export type SceneBox =
  | { id: string; kind: "stack"; stack: WiringStack; group: string | null; width: number; height: number }
  | { id: string; kind: "group"; label: string; members: WiringStack[]; width: number; height: number };

export interface SceneWire extends Wire {
  /** Ends as drawn: a port id, or a box id when the end is hidden in a collapsed group. */
  a: string;
  b: string;
  /** Boxes the two ends are drawn in. */
  boxA: string;
  boxB: string;
  count: number;
}

export interface SceneOptions {
  groupBy: GroupMode;
  collapsed: ReadonlySet<string>;
  /** Show only this stack and those within `depth` wires of it. */
  focus: { id: string; depth: number } | null;
  /** Stacks with no wire at all (only a loopback) are left out unless asked for. */
  showLonely: boolean;
}

export interface Scene {
  boxes: SceneBox[];
  wires: SceneWire[];
  /** Group id -> label and member stack ids (expanded and collapsed groups alike). */
  groups: Map<string, { label: string; members: string[] }>;
}

export const groupId = (mode: GroupMode, key: string) => `group:${mode}:${key}`;

/** Stack ids within `depth` wires of `from` (stacks as the nodes, any wire as an edge). */
export function nearStacks(model: WiringModel, from: string, depth: number): Set<string> {
  const next = new Map<string, Set<string>>();
  for (const w of model.wires) {
    const a = model.stackOf.get(w.from);
    const b = model.stackOf.get(w.to);
    if (!a || !b || a === b) continue;
    next.set(a, (next.get(a) ?? new Set()).add(b));
    next.set(b, (next.get(b) ?? new Set()).add(a));
  }
  const seen = new Set([from]);
  let ring = [from];
  for (let d = 0; d < depth && ring.length > 0; d++) {
    const out: string[] = [];
    for (const s of ring)
      for (const n of next.get(s) ?? [])
        if (!seen.has(n)) {
          seen.add(n);
          out.push(n);
        }
    ring = out;
  }
  return seen;
}

/** The boxes and wires to draw for some view options; one wire per kind between two drawn ends. */
export function buildScene(model: WiringModel, opt: SceneOptions): Scene {
  const wiredStacks = new Set<string>();
  for (const w of model.wires) {
    const a = model.stackOf.get(w.from);
    const b = model.stackOf.get(w.to);
    if (a && b && (a !== b || w.kind !== "member")) wiredStacks.add(a).add(b);
  }
  const near = opt.focus ? nearStacks(model, opt.focus.id, opt.focus.depth) : null;
  const shown = model.stacks.filter((s) =>
    near ? near.has(s.id) : opt.showLonely || s.initial || wiredStacks.has(s.id) || s.findings.length > 0,
  );
  const groups = new Map<string, { label: string; members: string[] }>();
  if (opt.groupBy !== "none") {
    const byKey = new Map<string, string[]>();
    for (const s of shown) {
      const key = s.groups[opt.groupBy];
      if (key && !s.initial) byKey.set(key, [...(byKey.get(key) ?? []), s.id]);
    }
    // A group of one is no group.
    for (const [key, members] of byKey)
      if (members.length > 1) groups.set(groupId(opt.groupBy, key), { label: key, members });
  }
  const groupOf = new Map<string, string>();
  for (const [id, g] of groups) for (const m of g.members) groupOf.set(m, id);
  const boxes: SceneBox[] = [];
  const drawnAs = new Map<string, string>(); // stack id -> box id
  const byId = new Map(shown.map((s) => [s.id, s]));
  for (const [id, g] of groups)
    if (opt.collapsed.has(id)) {
      const members = g.members.map((m) => byId.get(m)).filter((m): m is WiringStack => Boolean(m));
      boxes.push({ id, kind: "group", label: g.label, members, width: BOX.width, height: boxHeight(1) });
      for (const m of g.members) drawnAs.set(m, id);
    }
  for (const s of shown) if (!drawnAs.has(s.id)) drawnAs.set(s.id, s.id);
  const folded = foldPorts(model, drawnAs, groups);
  for (const s of shown) {
    if (drawnAs.get(s.id) !== s.id) continue;
    const group = groupOf.get(s.id) ?? null;
    const stack = folded.stacks.get(s.id) ?? s;
    boxes.push({ id: s.id, kind: "stack", stack, group, width: BOX.width, height: boxHeight(stack.ports.length) });
  }
  const wires = new Map<string, SceneWire>();
  const endOf = (end: string) => {
    const stack = model.stackOf.get(end);
    const box = stack ? drawnAs.get(stack) : undefined;
    if (!box) return null;
    return box === stack ? (folded.into.get(end) ?? end) : box;
  };
  for (const w of model.wires) {
    const a = endOf(w.from);
    const b = endOf(w.to);
    const boxA = drawnAs.get(model.stackOf.get(w.from) ?? "");
    const boxB = drawnAs.get(model.stackOf.get(w.to) ?? "");
    if (!a || !b || !boxA || !boxB || (boxA === boxB && boxA.startsWith("group:"))) continue;
    const key = `${w.kind}:${[a, b].sort().join("|")}`;
    const seen = wires.get(key);
    if (seen) {
      seen.count++;
      seen.down &&= w.down;
      seen.label = `${seen.count} ${kindNoun(w.kind)}`;
    } else wires.set(key, { ...w, a, b, boxA, boxB, count: 1 });
  }
  return { boxes, wires: [...wires.values()], groups };
}

/** Ports of a drawn stack whose wires all lead into one collapsed group fold into one row
 * ("12 ports → web"): a host with a bridge port for each of 300 containers stays one screen tall. */
function foldPorts(
  model: WiringModel,
  drawnAs: ReadonlyMap<string, string>,
  groups: ReadonlyMap<string, { label: string }>,
): { stacks: Map<string, WiringStack>; into: Map<string, string> } {
  const boxOf = (end: string) => drawnAs.get(model.stackOf.get(end) ?? "");
  const leadsTo = new Map<string, Set<string>>(); // port -> boxes its outer wires reach
  for (const w of model.wires) {
    if (w.kind === "member") continue;
    for (const [here, there] of [
      [w.from, w.to],
      [w.to, w.from],
    ] as const) {
      const box = boxOf(there);
      if (box) leadsTo.set(here, (leadsTo.get(here) ?? new Set()).add(box));
    }
  }
  const stacks = new Map<string, WiringStack>();
  const into = new Map<string, string>();
  for (const s of model.stacks) {
    if (drawnAs.get(s.id) !== s.id) continue;
    const byGroup = new Map<string, WiringPort[]>();
    for (const p of s.ports) {
      const to = leadsTo.get(p.id);
      const only = to?.size === 1 ? [...to][0] : undefined;
      if (only?.startsWith("group:")) byGroup.set(only, [...(byGroup.get(only) ?? []), p]);
    }
    let ports = s.ports;
    for (const [g, list] of byGroup) {
      if (list.length < 2) continue;
      const id = `fold:${s.id}:${g}`;
      const bridges = new Set(list.map((p) => p.memberOf));
      const fold: WiringPort = {
        id,
        stack: s.id,
        name: `${list.length} ports → ${groups.get(g)?.label ?? g}`,
        kind: "fold",
        state: "",
        down: list.every((p) => p.down),
        addresses: [],
        duplicates: [],
        memberOf: bridges.size === 1 ? ([...bridges][0] ?? null) : null,
        link: null,
      };
      const first = ports.indexOf(list[0] as WiringPort);
      ports = ports.filter((p) => !list.includes(p));
      ports.splice(Math.min(first, ports.length), 0, fold);
      for (const p of list) into.set(p.id, id);
    }
    if (ports !== s.ports) stacks.set(s.id, { ...s, ports });
  }
  return { stacks, into };
}

const kindNoun = (k: WireKind) =>
  ({
    veth: "veth pairs",
    member: "bridge ports",
    parent: "lower links",
    tun: "tun/tap owners",
    "cross-stack": "links",
  })[k];
