import {
  type Action,
  type ActionImpact,
  type ActionTargets,
  actionCommand,
  confirmText,
  type Inventory,
} from "@nsatlas/protocol";
import { captureStart } from "./capture-plans.js";
import { addrChange, linkMove, linkSetState, vethCreate } from "./link-plans.js";
import { pinRemove } from "./pin-plans.js";
import type { Draft } from "./plan-draft.js";
import { netnsCreate, netnsDelete, netnsFile } from "./stack-plans.js";

/** A dry run: what would run, where, and what it would change. */
export interface PlannedAction {
  summary: string;
  command: string[] | null;
  writes: string | null;
  targets: ActionTargets;
  impact: ActionImpact;
  confirm: string;
}

function draft(inv: Inventory, a: Action): Draft {
  switch (a.type) {
    case "netns.create":
      return netnsCreate(inv, a);
    case "netns.delete":
      return netnsDelete(inv, a);
    case "link.move":
      return linkMove(inv, a);
    case "veth.create":
      return vethCreate(inv, a);
    case "link.setState":
      return linkSetState(inv, a);
    case "addr.add":
    case "addr.del":
      return addrChange(inv, a);
    case "netns.file.write":
    case "netns.file.delete":
      return netnsFile(inv, a);
    case "netns.pin.remove":
      return pinRemove(inv, a);
    case "capture.start":
      return captureStart(inv, a);
  }
}

/** Whether an action takes a link of the initial stack away from the host: down, out, or an
 * address less. The host's own sessions — the agent's uplink among them — may ride on it. */
function cutsHostLink(a: Action, d: Draft): boolean {
  if (!d.stacks[0]?.ns.initial) return false;
  return (a.type === "link.setState" && !a.params.up) || a.type === "link.move" || a.type === "addr.del";
}

/** Plans a validated action against a host's current inventory: the exact command, the stacks
 * it reaches and how, and its impact. Throws ActionError when the inventory says it cannot work
 * (unknown stack or link, a name taken, processes inside a stack to delete, …). */
export function planAction(inv: Inventory, a: Action): PlannedAction {
  const d = draft(inv, a);
  const { command, writes } = actionCommand(a, d.targets);
  const stacks = [...new Set(d.stacks.map((s) => s.ns.id))];
  const cuts = cutsHostLink(a, d);
  const warning = cuts
    ? `This cuts this host's connectivity through ${confirmText(a)}: the host itself, and this dashboard's agent, may lose what depends on it. Type the host name ${inv.host.hostname} to confirm.`
    : undefined;
  return {
    summary: d.summary,
    command,
    writes,
    targets: d.targets,
    confirm: cuts ? inv.host.hostname : confirmText(a),
    impact: { stacks, ...d.impact, ...(warning ? { warning } : {}) },
  };
}
