import type { HostReport } from "@nsatlas/protocol";
import { csvLine } from "@nsatlas/protocol/csv";
import type { AuditStorage, HistoryStorage } from "../storage.js";

/** Most changes one report lists (a flapping host could have millions). */
export const REPORT_MAX_CHANGES = 50_000;

/** The auditor report of a host for [from, to]: its inventory at the start, what appeared and
 * disappeared in the window, every audit row about the host (actions, denials, connects), and
 * the signed checkpoint of the chain that holds those rows (made now if the head moved), so an
 * auditor can check the rows against an exported bundle. */
export async function buildHostReport(
  history: HistoryStorage,
  audit: AuditStorage,
  hostId: string,
  from: number,
  to: number,
  now = Date.now(),
): Promise<HostReport> {
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();
  return {
    hostId,
    from: fromIso,
    to: toIso,
    generatedAt: new Date(now).toISOString(),
    inventoryAtStart: await history.inventoryAt(hostId, from),
    changes: (await history.events(hostId, from, to, REPORT_MAX_CHANGES)).events,
    actions: await audit.forHost(hostId, fromIso, toIso),
    checkpoint: await audit.checkpoint("report"),
  };
}

/** The report as one CSV table: `section` is inventory (alive at the start), change or audit. */
export function hostReportCsv(r: HostReport): string {
  let out = csvLine(["section", "at", "kind", "change", "key", "namespace", "detail"]);
  for (const n of r.inventoryAtStart.namespaces) {
    out += csvLine([
      "inventory",
      n.since,
      "namespace",
      "present",
      n.id,
      n.id,
      `${n.type}${n.names.length ? ` ${n.names.join(",")}` : ""}`,
    ]);
  }
  for (const s of r.inventoryAtStart.stacks) {
    for (const l of s.links) {
      const addresses = l.addresses.map((a) => a.address).join(" ");
      out += csvLine([
        "inventory",
        l.since,
        "link",
        "present",
        `${s.ns}|link|${l.ifindex}|${l.name}`,
        s.ns,
        `${l.name} (${l.kind}) ${addresses}`.trim(),
      ]);
    }
  }
  for (const c of r.changes) out += csvLine(["change", c.at, c.kind, c.change, c.key, c.ns, c.label]);
  for (const a of r.actions) {
    const detail = `${a.actor}${a.role ? ` (${a.role})` : ""} ${JSON.stringify(a.params)}${a.error ? ` error: ${a.error}` : ""}`;
    out += csvLine(["audit", a.ts, a.action, a.result, a.requestId, a.target.namespace, detail]);
  }
  const c = r.checkpoint;
  if (c) {
    out += csvLine(["checkpoint", c.ts, "audit", `seq ${c.seq}`, c.keyId, c.digest, `signature ${c.signature}`]);
  }
  return out;
}
