import type { FleetStore, HistoryStorage, HostRecord } from "@nsatlas/hub";
import type { HostSummary } from "@nsatlas/protocol";
import { HttpError, notFound } from "../http-error.js";

/** The API's view of one host (REST and the UI). */
export function hostSummary(fleet: FleetStore, h: HostRecord): HostSummary {
  const inv = h.inventory;
  const stacks = inv ? (inv.netstacks?.length ?? inv.namespaces.filter((n) => n.type === "net").length) : 0;
  const state = fleet.stateOf(h);
  const scannedAt = inv ? Date.parse(inv.host.scannedAt) : Number.NaN;
  return {
    id: h.id,
    hostname: h.hostname,
    connected: state === "connected",
    state,
    lastSeen: new Date(h.lastFrameAt).toISOString(),
    readOnly: h.readOnly,
    agentVersion: h.agentVersion,
    credential: h.credential,
    labels: h.labels,
    kernel: inv?.host.kernel ?? null,
    lagMs: h.inventoryAt > 0 && Number.isFinite(scannedAt) ? Math.round(h.inventoryAt - scannedAt) : null,
    counts: {
      namespaces: inv?.namespaces.length ?? 0,
      processes: inv?.processes.length ?? 0,
      stacks,
      findings: inv?.findings.length ?? 0,
    },
  };
}

/** `?label=k=v` (the label has that value) or `?label=k` (the label is set); repeatable, all must hold. */
export function labelFilter(values: readonly string[]): (labels: Record<string, string>) => boolean {
  const wanted = values.map((v) => {
    const eq = v.indexOf("=");
    const key = eq < 0 ? v : v.slice(0, eq);
    if (key.length === 0)
      throw new HttpError(400, "BAD_REQUEST", `label filter ${JSON.stringify(v)}: expected k=v or k`);
    return { key, value: eq < 0 ? null : v.slice(eq + 1) };
  });
  return (labels) =>
    wanted.every(({ key, value }) => Object.hasOwn(labels, key) && (value === null || labels[key] === value));
}

/** The host must be known now or to the history (a host long gone still has a past). */
export async function knownHost(fleet: FleetStore, history: HistoryStorage, id: string): Promise<string> {
  if (!fleet.host(id) && !(await history.knows(id))) throw notFound(`host ${JSON.stringify(id)}`);
  return id;
}
