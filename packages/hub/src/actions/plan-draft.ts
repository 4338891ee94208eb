import type { ActionTargets, Link } from "@nsatlas/protocol";
import { ActionError } from "./action-error.js";
import type { ImpactLists } from "./impact.js";
import type { FoundStack } from "./stack-lookup.js";

/** What a planner of one action type works out; planAction adds the command and confirm text. */
export interface Draft {
  summary: string;
  targets: ActionTargets;
  stacks: FoundStack[];
  impact: ImpactLists;
}

/** Names in messages, quoted. */
export const q = JSON.stringify;

export function needDetail(s: FoundStack): NonNullable<FoundStack["stack"]> {
  if (s.stack) return s.stack;
  throw new ActionError(
    "conflict",
    "NO_STACK_DETAIL",
    `the agent sends no detail of stack ${s.label} (--no-netstacks)`,
  );
}

export function needLink(s: FoundStack, name: string): Link {
  const link = needDetail(s).links.find((l) => l.name === name);
  if (!link) throw new ActionError("not-found", "NO_SUCH_LINK", `stack ${s.label} has no link ${q(name)}`);
  return link;
}

export function refuseExistingLink(s: FoundStack, name: string): void {
  if (needDetail(s).links.some((l) => l.name === name)) {
    throw new ActionError("conflict", "LINK_EXISTS", `stack ${s.label} already has a link ${q(name)}`);
  }
}
