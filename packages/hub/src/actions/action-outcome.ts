import { createHash } from "node:crypto";
import { type Action, type ActionResultFrame, ETC_NETNS_DIR, type Inventory, type StackState } from "@nsatlas/protocol";
import type { JsonValue } from "../audit/canonical-json.js";

/** Params as the audit log keeps them: file contents by size and digest, not in full. */
export function auditParams(a: Action): JsonValue {
  if (a.type !== "netns.file.write") return a.params as JsonValue;
  const { content, ...rest } = a.params;
  const sha256 = createHash("sha256").update(content).digest("hex");
  return { ...rest, content: { bytes: Buffer.byteLength(content), sha256 } };
}

export function stackStates(inv: Inventory | null, ids: readonly string[], names: readonly string[]): StackState[] {
  if (!inv) return [];
  const nets = inv.namespaces.filter(
    (n) => n.type === "net" && (ids.includes(n.id) || n.names.some((x) => names.includes(x))),
  );
  return nets.map((n) => ({
    id: n.id,
    names: n.names,
    links: (inv.netstacks?.find((s) => s.ns === n.id)?.links ?? []).map((l) => ({
      name: l.name,
      kind: l.kind,
      state: l.state,
      addresses: l.addresses.map((a) => `${a.address}/${a.prefixlen}`),
    })),
  }));
}

/** What the agent reports it ran, when that is not what the plan showed; null when it is (or
 * when it ran nothing). Files compare below /etc/netns: an agent may keep them elsewhere. */
export function reportedMismatch(
  plan: { command: string[] | null; writes: string | null },
  result: ActionResultFrame,
): string | null {
  if (result.status === "refused") return null;
  const reported = JSON.stringify(result.command);
  if (reported !== JSON.stringify(plan.command))
    return `the agent reports ${reported}, the plan was ${JSON.stringify(plan.command)}`;
  if (plan.writes === null)
    return result.writes === null ? null : `the agent reports writing ${result.writes}, the plan writes nothing`;
  const file = plan.writes.slice(ETC_NETNS_DIR.length);
  if (result.writes === null || !result.writes.endsWith(file))
    return `the agent reports writing ${result.writes ?? "nothing"}, the plan was ${plan.writes}`;
  return null;
}
