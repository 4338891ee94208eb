import type { Action, Inventory } from "@nsatlas/protocol";
import { ActionError } from "./action-error.js";
import { emptyImpact, processesOfLink, sameAddress, unreachableVia } from "./impact.js";
import { type Draft, needDetail, needLink, q, refuseExistingLink } from "./plan-draft.js";
import { findStack } from "./stack-lookup.js";

// Planners of the link actions: move, veth pairs, up/down, addresses.

export function linkMove(inv: Inventory, a: Extract<Action, { type: "link.move" }>): Draft {
  const from = findStack(inv, a.params.ns);
  const to = findStack(inv, a.params.to);
  if (from.ns.id === to.ns.id)
    throw new ActionError("conflict", "SAME_STACK", `link ${q(a.params.link)} is already in ${to.label}`);
  const link = needLink(from, a.params.link);
  if (link.kind === "loopback")
    throw new ActionError("conflict", "LINK_NETNS_LOCAL", "the kernel keeps a loopback link in its stack");
  refuseExistingLink(to, a.params.link);
  const impact = emptyImpact();
  impact.processes = processesOfLink(inv, from.ns, from.stack, link);
  impact.links.push({ name: link.name, kind: link.kind, from: from.ns.id, to: to.ns.id });
  impact.unreachable = unreachableVia(
    needDetail(from),
    link,
    "the kernel drops a link's addresses when it changes stacks",
  );
  impact.notes.push(`${link.name} arrives in ${to.label} down and without addresses.`);
  if (link.peer)
    impact.notes.push(
      `Its veth peer ${link.peer.name} stays in ${link.peer.ns}: the pair then joins that stack and ${to.label}.`,
    );
  return {
    summary: `Move link ${q(link.name)} from stack ${from.label} to stack ${to.label}`,
    targets: { ns: from.target, to: to.target },
    stacks: [from, to],
    impact,
  };
}

export function vethCreate(inv: Inventory, a: Extract<Action, { type: "veth.create" }>): Draft {
  const sa = findStack(inv, a.params.a.ns);
  const sb = findStack(inv, a.params.b.ns);
  if (sa.ns.id === sb.ns.id && a.params.a.name === a.params.b.name) {
    throw new ActionError("conflict", "LINK_EXISTS", "both ends of a veth pair in one stack need different names");
  }
  refuseExistingLink(sa, a.params.a.name);
  refuseExistingLink(sb, a.params.b.name);
  const impact = emptyImpact();
  impact.notes.push(
    `Creates ${a.params.a.name} in ${sa.label} and ${a.params.b.name} in ${sb.label}, both down, without addresses.`,
  );
  return {
    summary: `Create the veth pair ${a.params.a.name} (${sa.label}) ⇄ ${a.params.b.name} (${sb.label})`,
    targets: { a: sa.target, b: sb.target },
    stacks: [sa, sb],
    impact,
  };
}

export function linkSetState(inv: Inventory, a: Extract<Action, { type: "link.setState" }>): Draft {
  const s = findStack(inv, a.params.ns);
  const link = needLink(s, a.params.link);
  const impact = emptyImpact();
  impact.processes = processesOfLink(inv, s.ns, s.stack, link);
  if (link.flags.includes("UP") === a.params.up)
    impact.notes.push(`${link.name} is already ${a.params.up ? "up" : "down"}: nothing changes.`);
  else if (!a.params.up) impact.unreachable = unreachableVia(needDetail(s), link, `${link.name} goes down`);
  return {
    summary: `Bring link ${q(link.name)} ${a.params.up ? "up" : "down"} in stack ${s.label}`,
    targets: { ns: s.target },
    stacks: [s],
    impact,
  };
}

export function addrChange(inv: Inventory, a: Extract<Action, { type: "addr.add" | "addr.del" }>): Draft {
  const s = findStack(inv, a.params.ns);
  const link = needLink(s, a.params.link);
  const has = link.addresses.find((x) => sameAddress(`${x.address}/${x.prefixlen}`, a.params.address));
  const impact = emptyImpact();
  impact.processes = processesOfLink(inv, s.ns, s.stack, link);
  if (a.type === "addr.add") {
    if (has) throw new ActionError("conflict", "ADDRESS_EXISTS", `${link.name} already has ${a.params.address}`);
    const bare = a.params.address.split("/")[0] ?? "";
    for (const other of inv.netstacks ?? []) {
      for (const l of other.links) {
        if (l.addresses.some((x) => sameAddress(`${x.address}/0`, `${bare}/0`))) {
          impact.notes.push(`${bare} is also on ${l.name} in ${other.ns} (a duplicate-address finding will follow).`);
        }
      }
    }
  } else {
    if (!has) throw new ActionError("not-found", "NO_SUCH_ADDRESS", `${link.name} has no address ${a.params.address}`);
    impact.unreachable = unreachableVia(
      needDetail(s),
      { ...link, addresses: [has], peer: null },
      "the address is removed",
    ).filter((u) => !u.what.startsWith("route") && !u.what.startsWith("the default route"));
  }
  const verb = a.type === "addr.add" ? `Add ${a.params.address} to` : `Remove ${a.params.address} from`;
  return {
    summary: `${verb} link ${q(link.name)} in stack ${s.label}`,
    targets: { ns: s.target },
    stacks: [s],
    impact,
  };
}
