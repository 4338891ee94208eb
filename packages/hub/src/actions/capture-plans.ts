import type { Action, Inventory } from "@nsatlas/protocol";
import { compileFilter, linktypeOf } from "../capture/filter-compiler.js";
import { ActionError } from "./action-error.js";
import { emptyImpact } from "./impact.js";
import { type Draft, needLink, q } from "./plan-draft.js";
import { findStack } from "./stack-lookup.js";

const mib = (n: number) => `${Math.round((n / 1048576) * 10) / 10} MiB`;

/** A stack or link the plan cannot find has vanished since the user saw it: 409, not 404. */
function vanished<T>(find: () => T): T {
  try {
    return find();
  } catch (err) {
    if (err instanceof ActionError && err.kind === "not-found")
      throw new ActionError("conflict", err.code, err.message);
    throw err;
  }
}

/** capture.start: the stack and interface must exist, and the filter must compile for the
 * interface's linktype before anything runs (400 with the compiler's words otherwise). */
export function captureStart(inv: Inventory, a: Extract<Action, { type: "capture.start" }>): Draft {
  const p = a.params;
  const s = vanished(() => findStack(inv, p.ns));
  const link = p.link === null ? null : vanished(() => needLink(s, p.link ?? ""));
  const problem = compileFilter(p.filter, linktypeOf(link?.kind ?? null), p.snaplen);
  if (problem !== null) throw new ActionError("invalid", "BAD_FILTER", `filter ${q(p.filter)}: ${problem}`);
  const impact = emptyImpact();
  const where = link ? `interface ${link.name}` : "all interfaces (Linux cooked headers)";
  impact.notes.push(
    `Captures on ${where} of stack ${s.label}, filter ${p.filter === "" ? "none" : q(p.filter)}, ${p.snaplen} bytes a packet at most.`,
    `Stops after ${p.maxSeconds} s, ${mib(p.maxBytes)}${p.maxPackets === null ? "" : ` or ${p.maxPackets} packets`}, whichever comes first.`,
    "In the stack the agent's uplink runs in, the agent leaves out its own connection and the dashboard's port.",
    "Packets are personal data: the capture, its start, stop and every download are audit rows.",
  );
  return {
    summary: `Capture packets on ${link ? `link ${q(link.name)}` : "all interfaces"} of stack ${s.label}`,
    targets: { ns: s.target },
    stacks: [s],
    impact,
  };
}
