import type { Holder, Inventory, Namespace } from "@nsatlas/protocol";
import { resolveNamespaceName } from "@nsatlas/protocol/stack-name";

function holderText(h: Holder): string {
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

/** Renders namespaces as an lsns-like table: NS TYPE NPROCS PID USER NAME COMMAND. */
export function renderNamespaceTable(inv: Inventory, namespaces: readonly Namespace[]): string {
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  const sandboxes = new Map((inv.netstacks ?? []).map((s) => [s.ns, s.sandbox ?? null]));
  const rows = [["NS", "TYPE", "NPROCS", "PID", "USER", "NAME", "COMMAND"]];
  for (const ns of namespaces) {
    const first = ns.pids[0] === undefined ? undefined : byPid.get(ns.pids[0]);
    // Like lsns's NAME: the netns name, else the pod or container it belongs to, else its pin.
    const resolved = resolveNamespaceName(ns, (pid) => byPid.get(pid), sandboxes.get(ns.id));
    const name = resolved.source === "initial" || resolved.source === "unnamed" ? "" : resolved.name;
    const command = first
      ? first.cmdline.join(" ") || `[${first.comm}]`
      : `(${ns.holders.slice(0, 2).map(holderText).join(", ") || "kept by child namespaces"})`;
    rows.push([
      String(ns.inode),
      ns.type,
      String(ns.pids.length),
      first ? String(first.pid) : "-",
      first ? (first.user ?? String(first.uid)) : "-",
      name || "-",
      command,
    ]);
  }
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, col) =>
          col === r.length - 1
            ? cell
            : col <= 2 || col === 3
              ? cell.padStart(widths[col] ?? 0)
              : cell.padEnd(widths[col] ?? 0),
        )
        .join(" "),
    )
    .join("\n");
}
