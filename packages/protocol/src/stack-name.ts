// What a person calls a namespace, above all a network stack. Zod-free (types only), so the
// agent's scan CLI and the dashboard share it without loading the schema library.

import type { StackSandbox } from "./containers.js";
import type { Holder, Namespace, Process } from "./inventory.js";

export type NameSource = "initial" | "netns" | "pod" | "container" | "compose" | "pin" | "unnamed";

export interface ResolvedName {
  name: string;
  source: NameSource;
}

type NamedNamespace = Pick<Namespace, "initial" | "names" | "inode" | "pids" | "holders">;

/** What a holder that is not a process is, in a few words ("fd 3 of pid 812"). */
export function holderText(h: Holder): string {
  switch (h.kind) {
    case "bindmount":
      return `pinned at ${h.path}`;
    case "fd":
      return `fd ${h.fd} of pid ${h.pid}`;
    case "socket":
      return `socket fd ${h.fd} of pid ${h.pid}`;
    case "task":
      return `thread ${h.tid} of pid ${h.pid}`;
    case "children":
      return `children of pid ${h.pid}`;
    case "process":
      return `pid ${h.pid}`;
  }
}

const unique = (xs: Array<string | null | undefined>): string[] => [...new Set(xs.filter((x): x is string => !!x))];

/** The name of a namespace: `initial` → its netns name(s) → the pod `namespace/name` → the
 * container name(s) → compose `project/service` → its pin path → `unnamed (pid N command)`.
 * `processOf` looks up its member processes; `sandbox` is the stack's, when known. */
export function resolveNamespaceName(
  ns: NamedNamespace,
  processOf: (pid: number) => Process | undefined,
  sandbox?: StackSandbox | null,
): ResolvedName {
  if (ns.initial) return { name: "initial", source: "initial" };
  if (ns.names.length > 0) return { name: ns.names.join(", "), source: "netns" };
  const members = ns.pids.map(processOf).filter((p): p is Process => p !== undefined);
  const hints = members.map((p) => p.container).filter((c) => c !== null);
  const pod = sandbox?.pod ?? hints.find((h) => h.pod)?.pod;
  if (pod) return { name: `${pod.namespace}/${pod.name}`, source: "pod" };
  const containers = unique(hints.map((h) => h.name));
  if (containers.length > 0) return { name: containers.join(", "), source: "container" };
  const compose = unique(hints.map((h) => (h.compose ? `${h.compose.project}/${h.compose.service}` : null)));
  if (compose.length > 0) return { name: compose.join(", "), source: "compose" };
  const pin = ns.holders.find((h) => h.kind === "bindmount");
  if (pin?.kind === "bindmount") return { name: pin.path, source: "pin" };
  const first = members[0];
  if (first) return { name: `unnamed (pid ${first.pid} ${first.comm})`, source: "unnamed" };
  // No process inside: name it after what keeps it (an fd, a socket, a thread), else its inode.
  const other = ns.holders[0];
  return { name: other ? `unnamed (${holderText(other)})` : `unnamed (${ns.inode})`, source: "unnamed" };
}

/** Names of every namespace of an inventory by id (`net:<inode>` → "default/web-0", …). */
export function namespaceNames(inv: {
  namespaces: readonly (NamedNamespace & { id: string; type: string })[];
  processes: readonly Process[];
  netstacks?: ReadonlyArray<{ ns: string; sandbox?: StackSandbox | null }>;
}): Map<string, string> {
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  const sandboxes = new Map((inv.netstacks ?? []).map((s) => [s.ns, s.sandbox ?? null]));
  const out = new Map<string, string>();
  for (const ns of inv.namespaces) {
    out.set(ns.id, resolveNamespaceName(ns, (pid) => byPid.get(pid), sandboxes.get(ns.id)).name);
  }
  return out;
}
