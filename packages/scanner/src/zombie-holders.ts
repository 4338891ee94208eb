import type { Finding, Process } from "@nsatlas/protocol";
import { namespaceId } from "@nsatlas/protocol/ids";
import type { NamespaceEntry } from "./namespace-table.js";

/** zombie-holder: a namespace whose only holders are zombies. A zombie has dropped its
 * nsproxy (exit_task_namespaces) but keeps its credentials, hence its user namespace, and its
 * struct pid, hence its pid namespace, until its parent reaps it with wait(2): a parent that
 * never does keeps the namespace alive for nothing. */
export function zombieHolders(entries: Iterable<NamespaceEntry>, processes: readonly Process[]): Finding[] {
  const zombies = new Map(processes.filter((p) => p.state === "Z").map((p) => [p.pid, p]));
  if (zombies.size === 0) return [];
  const findings: Finding[] = [];
  for (const e of entries) {
    if (e.holders.length === 0) continue;
    if (!e.holders.every((h) => h.kind === "process" && zombies.has(h.pid))) continue;
    const pids = [...new Set(e.holders.map((h) => ("pid" in h ? h.pid : 0)))].sort((a, b) => a - b);
    const parents = [...new Set(pids.map((pid) => zombies.get(pid)?.ppid ?? 0))].sort((a, b) => a - b);
    findings.push({
      code: "zombie-holder",
      ns: namespaceId(e.type, e.inode),
      message: `kept alive only by zombie pid ${pids.join(", ")}: its parent (pid ${parents.join(", ")}) does not reap it`,
      refs: [],
      pids,
    });
  }
  return findings;
}
