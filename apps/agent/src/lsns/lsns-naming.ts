import type { Holder, Namespace, Process } from "@nsatlas/protocol";

/** What a holder that is not a process is, in a few words. */
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

/** The name a person would call a namespace by: `initial`, else its netns name, else its pin
 * path, else `unnamed (pid N command)` after its first process (or what else holds it). The one
 * place the CLI names namespaces; the shared resolver in @nsatlas/protocol replaces it when it
 * lands. */
export function namespaceName(ns: Namespace, first: Process | undefined): string {
  if (ns.initial) return "initial";
  if (ns.names.length > 0) return ns.names.join(",");
  const pin = ns.holders.find((h) => h.kind === "bindmount");
  if (pin?.kind === "bindmount") return pin.path;
  if (first) return `unnamed (pid ${first.pid} ${first.comm})`;
  const other = ns.holders[0];
  return other ? `unnamed (${holderText(other)})` : "unnamed (kept by child namespaces)";
}
