import type { Action, Inventory, Namespace } from "@nsatlas/protocol";
import { createTwoFilesPatch } from "diff";
import { ActionError } from "./action-error.js";
import { emptyImpact, processesIn, stackDestroyedImpact } from "./impact.js";
import { type Draft, q } from "./plan-draft.js";
import { findStack } from "./stack-lookup.js";

// Planners of the netns.* actions: a stack's name, its life, its /etc/netns files.

export function netnsCreate(inv: Inventory, a: Extract<Action, { type: "netns.create" }>): Draft {
  const taken = inv.namespaces.some((n) => n.type === "net" && n.names.includes(a.params.name));
  if (taken) throw new ActionError("conflict", "NAME_TAKEN", `a stack named ${q(a.params.name)} exists`);
  const impact = emptyImpact();
  impact.notes.push(`A new stack with only a loopback link (down), pinned at /run/netns/${a.params.name}.`);
  return { summary: `Create the network stack ${q(a.params.name)}`, targets: {}, stacks: [], impact };
}

function otherHolders(ns: Namespace, name: string): string[] {
  return ns.holders
    .filter((h) => h.kind !== "process" && !(h.kind === "bindmount" && h.path.endsWith(`/netns/${name}`)))
    .map((h) => (h.kind === "bindmount" ? `pin ${h.path}` : `${h.kind} of pid ${h.pid}`));
}

export function netnsDelete(inv: Inventory, a: Extract<Action, { type: "netns.delete" }>): Draft {
  const s = findStack(inv, a.params.name);
  const procs = processesIn(inv, s.ns);
  if (procs.length > 0 && !a.params.force) {
    const list = procs
      .slice(0, 10)
      .map((p) => `${p.pid} (${p.comm})`)
      .join(", ");
    throw new ActionError(
      "conflict",
      "STACK_IN_USE",
      `${procs.length} process${procs.length === 1 ? " is" : "es are"} inside ${q(a.params.name)}: ${list}${procs.length > 10 ? ", …" : ""}; set force to delete the name anyway`,
    );
  }
  const impact = emptyImpact();
  impact.processes = procs;
  const others = otherHolders(s.ns, a.params.name);
  if (procs.length > 0 || others.length > 0) {
    const by = [procs.length > 0 ? `${procs.length} process(es)` : "", ...others].filter(Boolean).join(", ");
    impact.notes.push(
      `Only the name goes: the stack stays alive, unnamed, while ${by} hold${others.length + procs.length === 1 ? "s" : ""} it.`,
    );
  } else if (s.stack) {
    stackDestroyedImpact(impact, inv, s.stack, "Nothing else holds the stack: the kernel destroys it with its links.");
  }
  if (s.stack && Object.keys(s.stack.files).length > 0) {
    impact.notes.push(`/etc/netns/${a.params.name}/ stays (${Object.keys(s.stack.files).join(", ")}).`);
  }
  const targets = { name: { via: "name" as const, name: a.params.name, inode: s.ns.inode } };
  return {
    summary: `Delete the network stack ${q(a.params.name)}${a.params.force ? " (forced)" : ""}`,
    targets,
    stacks: [s],
    impact,
  };
}

/** A file's change as a unified diff, as `diff -u` would print it (from /dev/null when new). */
function fileDiff(path: string, before: string | undefined, after: string): string {
  const patch = createTwoFilesPatch(before === undefined ? "/dev/null" : path, path, before ?? "", after, "", "", {
    context: 3,
  });
  // jsdiff starts with a line of "=" (its Index header); diff -u does not.
  return patch.replace(/^=+\n/, "");
}

export function netnsFile(
  inv: Inventory,
  a: Extract<Action, { type: "netns.file.write" | "netns.file.delete" }>,
): Draft {
  const s = findStack(inv, a.params.name);
  const current = s.stack?.files[a.params.file];
  const impact = emptyImpact();
  const path = `/etc/netns/${a.params.name}/${a.params.file}`;
  if (a.type === "netns.file.delete") {
    if (s.stack && current === undefined) throw new ActionError("not-found", "NO_SUCH_FILE", `${path} does not exist`);
    impact.notes.push(
      `Commands started with \`ip netns exec ${a.params.name}\` then see the host's /etc/${a.params.file}.`,
    );
  } else {
    const bytes = new TextEncoder().encode(a.params.content).length;
    impact.notes.push(
      current === undefined
        ? `Creates ${path} (${bytes} bytes).`
        : `Replaces ${path} (${new TextEncoder().encode(current).length} → ${bytes} bytes).`,
    );
    impact.diff = fileDiff(path, current, a.params.content);
    impact.notes.push(
      `\`ip netns exec ${a.params.name}\` binds it over /etc/${a.params.file} for the commands it starts; processes already inside keep what they see.`,
    );
  }
  const verb = a.type === "netns.file.write" ? "Write" : "Delete";
  const targets = { name: { via: "name" as const, name: a.params.name, inode: s.ns.inode } };
  return { summary: `${verb} ${path}`, targets, stacks: [s], impact };
}
