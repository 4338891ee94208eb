import type { Process } from "@nsatlas/protocol";

/** A host's processes and, aligned with them, the text a search matches each against. */
interface HostRecords {
  processes: readonly Process[];
  records: string[];
}

/** "comm\u0001cmdline", lower-cased: what a process search looks at. */
const recordOf = (p: Process) => `${p.comm}\u0001${p.cmdline.join(" ")}`.toLowerCase();

// Per host id, the records of its latest processes array. The hub replaces that array only when
// processes change, and a delta keeps the unchanged process objects: so records are rebuilt
// only for processes that changed, and a search of the whole fleet allocates (almost) nothing.
const byHost = new Map<string, HostRecords>();

/** Records of `processes`, reusing the previous ones of the same host for identical process
 * objects (a merge on pid order; identity, not equality, decides, so reuse is always right). */
function recordsOf(hostId: string, processes: readonly Process[]): string[] {
  const prev = byHost.get(hostId);
  if (prev?.processes === processes) return prev.records;
  const records: string[] = new Array(processes.length);
  let j = 0;
  for (let k = 0; k < processes.length; k++) {
    const p = processes[k] as Process;
    if (prev) {
      while (j < prev.processes.length && (prev.processes[j] as Process).pid < p.pid) j += 1;
      if (prev.processes[j] === p) {
        records[k] = prev.records[j] as string;
        continue;
      }
    }
    records[k] = recordOf(p);
  }
  byHost.set(hostId, { processes, records });
  return records;
}

/** Indexes, in array order, of the host's processes whose name or command line (arguments
 * joined by spaces) contains `needle`, which must be lower-case. */
export function processesMatching(hostId: string, processes: readonly Process[], needle: string): number[] {
  const records = recordsOf(hostId, processes);
  const hits: number[] = [];
  for (let k = 0; k < records.length; k++) if ((records[k] as string).includes(needle)) hits.push(k);
  return hits;
}

/** Forgets the records of hosts not in `live` (removed hosts). */
export function forgetProcessRecords(live: ReadonlySet<string>): void {
  for (const id of byHost.keys()) if (!live.has(id)) byHost.delete(id);
}
