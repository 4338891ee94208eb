import type { Finding, Inventory, Namespace, Process } from "@nsatlas/protocol";
import { holderText, namespaceNames } from "@nsatlas/protocol/stack-name";
import { holdersSummary } from "../lsns/lsns-cells.js";

const HEADER = ["TYPE", "NS", "NPROCS", "PID", "USER", "NAME", "HOLDERS", "COMMAND"];
/** Right-aligned columns (numbers). */
const RIGHT = new Set([1, 2, 3]);

function commandOf(ns: Namespace, first: Process | undefined): string {
  if (first) return first.cmdline.join(" ") || `[${first.comm}]`;
  return `(${ns.holders.slice(0, 2).map(holderText).join(", ") || "kept by child namespaces"})`;
}

/** Renders namespaces grouped by type (a blank line between types, the type named once):
 * TYPE NS NPROCS PID USER NAME HOLDERS COMMAND, the first process's pid, user and command. */
export function renderNamespaceTable(inv: Inventory, namespaces: readonly Namespace[]): string {
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  const names = namespaceNames(inv);
  const sorted = [...namespaces].sort((a, b) => (a.type === b.type ? a.inode - b.inode : a.type < b.type ? -1 : 1));
  const rows: string[][] = [HEADER];
  const groupStarts = new Set<number>();
  let type = "";
  for (const ns of sorted) {
    if (ns.type !== type) {
      if (type !== "") groupStarts.add(rows.length);
      type = ns.type;
    }
    const first = ns.pids[0] === undefined ? undefined : byPid.get(ns.pids[0]);
    rows.push([
      groupStarts.has(rows.length) || rows.length === 1 ? ns.type : "",
      String(ns.inode),
      String(ns.pids.length),
      first ? String(first.pid) : "-",
      first ? (first.user ?? String(first.uid)) : "-",
      names.get(ns.id) ?? ns.id,
      holdersSummary(ns) || "-",
      commandOf(ns, first),
    ]);
  }
  const widths = HEADER.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length)));
  const last = HEADER.length - 1;
  const lines = rows.map((r) =>
    r
      .map((cell, col) =>
        col === last ? cell : RIGHT.has(col) ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
      )
      .join(" "),
  );
  return lines.map((l, i) => (groupStarts.has(i) ? `\n${l}` : l)).join("\n");
}

/** Names shown per finding code before "…". */
const NAMES_PER_CODE = 3;

/** The findings summary line: how many of each code, and which stacks, by name. */
export function renderFindings(inv: Inventory, findings: readonly Finding[]): string {
  if (findings.length === 0) return "findings: none";
  const nameOf = namespaceNames(inv);
  const byCode = new Map<string, Finding[]>();
  for (const f of findings) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  const parts = [...byCode].map(([code, list]) => {
    const names = [...new Set(list.flatMap((f) => (f.ns ? [nameOf.get(f.ns) ?? f.ns] : [])))];
    const shown = names.slice(0, NAMES_PER_CODE).join(", ") + (names.length > NAMES_PER_CODE ? ", …" : "");
    return `${list.length} ${code}${shown ? ` (${shown})` : ""}`;
  });
  const n = findings.length;
  return `${n} finding${n === 1 ? "" : "s"}: ${parts.join("; ")} (details: scan --json)`;
}
