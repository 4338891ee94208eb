import type {
  Container,
  ContainerEngine,
  ContainerHint,
  Finding,
  Inventory,
  Process,
  StackSandbox,
} from "@nsatlas/protocol";
import type { EngineContainer } from "./engine-container.js";
import type { EngineView } from "./engine-set.js";

/** Docker's containers also appear in containerd's `moby` namespace, under the same ids:
 * when Docker answers, it names them. Otherwise an engine's own record beats containerd's. */
function ownRecords(view: EngineView): Map<string, EngineContainer> {
  const rank: Record<ContainerEngine, number> = { docker: 0, podman: 1, "cri-o": 2, containerd: 3 };
  const byId = new Map<string, EngineContainer>();
  for (const c of view.containers) {
    if (c.engine === "containerd" && c.namespace === "moby" && view.connected.has("docker")) continue;
    const had = byId.get(c.id);
    if (!had || rank[c.engine] < rank[had.engine]) byId.set(c.id, c);
  }
  return byId;
}

function named(hint: ContainerHint, c: EngineContainer | undefined): ContainerHint {
  return {
    runtime: hint.runtime,
    id: hint.id,
    podUid: hint.podUid ?? c?.pod?.uid ?? null,
    engine: c?.engine ?? null,
    name: c?.name ?? null,
    image: c?.image ?? null,
    pod: c?.pod ?? null,
    compose: c?.compose ?? null,
  };
}

/** The same hint for every process of a container (one object, as the scanner shares them). */
function nameProcesses(processes: Process[], records: Map<string, EngineContainer>): void {
  const byPid = new Map<number, EngineContainer>();
  for (const c of records.values()) if (c.pid !== null) byPid.set(c.pid, c);
  const cache = new Map<string, ContainerHint>();
  for (const p of processes) {
    let hint = p.container;
    const record = hint?.id ? records.get(hint.id) : byPid.get(p.pid);
    if (!hint && record)
      hint = { ...named({ runtime: record.engine, id: record.id, podUid: null } as ContainerHint, record) };
    if (!hint) continue;
    const key = `${hint.runtime}\0${hint.id}\0${hint.podUid}`;
    let joined = cache.get(key);
    if (!joined) {
      joined = named(hint, hint.id ? records.get(hint.id) : undefined);
      cache.set(key, joined);
    }
    p.container = joined;
  }
}

function containersOf(records: Map<string, EngineContainer>, processes: readonly Process[]): Container[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const firstOf = new Map<string, Process>();
  for (const p of processes) if (p.container?.id && !firstOf.has(p.container.id)) firstOf.set(p.container.id, p);
  return [...records.values()]
    .map((c): Container => {
      // CRI-O tells no pid: the lowest pid whose cgroup names the container stands in.
      const proc = (c.pid !== null ? byPid.get(c.pid) : undefined) ?? firstOf.get(c.id);
      return {
        id: c.id,
        engine: c.engine,
        name: c.name,
        image: c.image,
        state: c.state,
        pid: c.pid ?? proc?.pid ?? null,
        pod: c.pod,
        compose: c.compose,
        labels: c.labels,
        ns: proc ? proc.ns : null,
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function stackSandbox(
  inode: number,
  names: readonly string[],
  records: Map<string, EngineContainer>,
  containers: readonly Container[],
): StackSandbox | null {
  for (const c of records.values()) {
    if (c.netnsInode === inode) return { engine: c.engine, containerId: c.id, pod: c.pod };
  }
  for (const c of containers) {
    if (c.ns?.net === inode && records.get(c.id)?.sandbox) return { engine: c.engine, containerId: c.id, pod: c.pod };
  }
  // CNI plugins name the netns they make for a pod `cni-<uuid>`: a sandbox of an engine we cannot ask.
  if (names.some((n) => n.startsWith("cni-"))) return { engine: null, containerId: null, pod: null };
  return null;
}

/** Joins what the engines report to a scanned inventory, in place: processes[].container gets
 * names, `containers` is filled, each stack lists the containers in it and its sandbox, and an
 * engine that does not answer becomes a warning and an `engine-unreachable` finding. Without
 * engines (view null) the cgroup hints alone still list each stack's containers. */
export function joinContainers(inv: Inventory, view: EngineView | null): Inventory {
  const records = view ? ownRecords(view) : new Map<string, EngineContainer>();
  nameProcesses(inv.processes, records);
  inv.containers = containersOf(records, inv.processes);
  if (inv.netstacks) {
    const idsByNet = new Map<number, Set<string>>();
    for (const p of inv.processes) {
      const net = p.ns.net;
      // A zombie no longer serves its net link (null): it is in no stack.
      if (!p.container?.id || net === null) continue;
      const ids = idsByNet.get(net) ?? new Set<string>();
      idsByNet.set(net, ids);
      ids.add(p.container.id);
    }
    const namesOf = new Map(inv.namespaces.filter((n) => n.type === "net").map((n) => [n.id, n.names]));
    for (const s of inv.netstacks) {
      const inode = Number(s.ns.slice(s.ns.indexOf(":") + 1));
      s.containers = [...(idsByNet.get(inode) ?? [])].sort();
      s.sandbox = stackSandbox(inode, namesOf.get(s.ns) ?? [], records, inv.containers);
    }
  }
  for (const u of view?.unreachable ?? []) {
    const message = `${u.engine} engine at ${u.socket} does not answer: ${u.error}`;
    inv.warnings.push(message);
    const finding: Finding = { code: "engine-unreachable", message, refs: [] };
    inv.findings.push(finding);
  }
  return inv;
}
