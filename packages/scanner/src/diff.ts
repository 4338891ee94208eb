import type { Inventory, InventoryChanges, Namespace, Process } from "@nsatlas/protocol";

type Keyed<T> = { upsert?: T[]; remove?: Array<string | number> };

/** Changes of one keyed collection; items compare by the JSON text of `compared(item)`
 * (inventories are plain data, and a scan builds every item with the same key order). */
function diffKeyed<T>(
  prev: readonly T[],
  next: readonly T[],
  key: (item: T) => string | number,
  compared: (item: T) => unknown = (item) => item,
): Keyed<T> | undefined {
  const before = new Map<string | number, string>();
  for (const item of prev) before.set(key(item), JSON.stringify(compared(item)));
  const upsert: T[] = [];
  const seen = new Set<string | number>();
  for (const item of next) {
    const k = key(item);
    seen.add(k);
    if (before.get(k) !== JSON.stringify(compared(item))) upsert.push(item);
  }
  const remove = [...before.keys()].filter((k) => !seen.has(k));
  if (upsert.length === 0 && remove.length === 0) return undefined;
  return { ...(upsert.length > 0 ? { upsert } : {}), ...(remove.length > 0 ? { remove } : {}) };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A namespace without its membership (pids and process holders): membership follows from
 * processes[].ns, so a process that starts or exits travels once, as a process change, and
 * not again inside each of its eight namespaces (the initial ones list every process). */
export function namespaceCore(n: Namespace): unknown {
  return { ...n, pids: undefined, holders: n.holders.filter((h) => h.kind !== "process") };
}

/** Scheduling states (R, S, D, I, …) change all the time and say nothing about namespaces;
 * only entering a stop (T, t) or death (Z, X) makes a process travel again. */
function stateClass(state: string | undefined): string | undefined {
  if (state === undefined) return undefined;
  return state === "Z" || state === "X" ? "dead" : state === "T" || state === "t" ? "stopped" : "live";
}

/** A process as compared between scans: its state only by class (see stateClass). */
const processCore = (p: Process): unknown => ({ ...p, state: stateClass(p.state) });

/** What changed from prev to next, or null when nothing but the scan time did. Namespaces
 * travel only when more than their membership changed; see applyChanges in the hub. */
export function diffInventory(prev: Inventory, next: Inventory): InventoryChanges | null {
  const changes: InventoryChanges = {};
  const namespaces = diffKeyed(prev.namespaces, next.namespaces, (n) => n.id, namespaceCore);
  if (namespaces) changes.namespaces = namespaces as InventoryChanges["namespaces"];
  const processes = diffKeyed(prev.processes, next.processes, (p) => p.pid, processCore);
  if (processes) changes.processes = processes as InventoryChanges["processes"];
  if (!sameJson(prev.warnings, next.warnings)) changes.warnings = next.warnings;
  const netstacks = diffKeyed(prev.netstacks ?? [], next.netstacks ?? [], (s) => s.ns);
  if (netstacks) changes.netstacks = netstacks as InventoryChanges["netstacks"];
  if (!sameJson(prev.findings, next.findings)) changes.findings = next.findings;
  const containers = diffKeyed(prev.containers ?? [], next.containers ?? [], (c) => c.id);
  if (containers) changes.containers = containers as InventoryChanges["containers"];
  const { scannedAt: _a, ...prevHost } = prev.host;
  const { scannedAt: _b, ...nextHost } = next.host;
  if (Object.keys(changes).length === 0 && sameJson(prevHost, nextHost)) return null;
  changes.host = next.host;
  return changes;
}
