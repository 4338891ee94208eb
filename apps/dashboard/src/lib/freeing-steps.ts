import type { Holder, Inventory, Namespace, Process } from "@nsatlas/protocol";

// "How to free it": for a stack that is alive with no process in it, each reference the kernel
// counts, who owns it, and the fix. nsatlas removes pins itself (a guarded action); it never
// kills processes, so for those it gives the exact command instead.

export interface Who {
  pid: number;
  comm: string;
}

export type FreeingStep =
  | {
      kind: "pin";
      path: string;
      mountNs: string;
      /** The mount namespace is the host's own (pid 1's). */
      hostMountNs: boolean;
      /** Processes in that mount namespace (the first is the one the agent enters through). */
      members: Who[];
      /** The container that mount namespace belongs to, when its processes say. */
      container: string | null;
    }
  | {
      kind: "process-ref";
      holder: Exclude<Holder["kind"], "bindmount" | "process">;
      who: Who;
      detail: string;
      command: string;
    };

const who = (pid: number, byPid: ReadonlyMap<number, Process>): Who => ({ pid, comm: byPid.get(pid)?.comm ?? "?" });

function pinStep(
  h: Extract<Holder, { kind: "bindmount" }>,
  inv: Inventory,
  byPid: ReadonlyMap<number, Process>,
): FreeingStep {
  const mnt = inv.namespaces.find((n) => n.type === "mnt" && n.id === h.mountNs);
  const live = (mnt?.pids ?? []).filter((pid) => byPid.get(pid)?.state !== "Z").sort((a, b) => a - b);
  const container = live.map((pid) => byPid.get(pid)?.container?.name).find((n): n is string => !!n) ?? null;
  return {
    kind: "pin",
    path: h.path,
    mountNs: h.mountNs ?? "",
    hostMountNs: mnt?.initial ?? h.mountNs === undefined,
    members: live.slice(0, 5).map((pid) => who(pid, byPid)),
    container,
  };
}

type ProcessRef = Extract<Holder, { kind: "fd" | "socket" | "task" | "children" }>;

/** How a process's reference holds a stack, in words. */
function refDetail(h: ProcessRef): string {
  switch (h.kind) {
    case "fd":
      return `holds it open as fd ${h.fd}`;
    case "socket":
      return `has a socket made in it (fd ${h.fd})`;
    case "task":
      return `has a thread (${h.tid}) inside it`;
    case "children":
      return "unshared it for the children it has not started yet";
  }
}

/** What keeps `ns` alive besides processes inside it, each with its fix, pins first. */
export function freeingSteps(ns: Namespace, inv: Inventory): FreeingStep[] {
  const byPid = new Map(inv.processes.map((p) => [p.pid, p]));
  const pins: FreeingStep[] = [];
  const others: FreeingStep[] = [];
  for (const h of ns.holders) {
    if (h.kind === "bindmount") pins.push(pinStep(h, inv, byPid));
    else if (h.kind !== "process")
      others.push({
        kind: "process-ref",
        holder: h.kind,
        who: who(h.pid, byPid),
        detail: refDetail(h),
        command: `kill ${h.pid}`,
      });
  }
  return [...pins, ...others];
}
