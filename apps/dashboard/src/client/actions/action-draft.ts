import type { StackCard } from "../../lib/stack-cards";

/** An action the user is about to plan (validated by the server, then again by the agent). */
export interface ActionDraft {
  type: string;
  params: Record<string, unknown>;
}

/** How an action names a card's stack: "initial", its first name, or `net:<inode>`. */
export function stackRef(card: Pick<StackCard, "initial" | "names" | "id">): string {
  if (card.initial) return "initial";
  return card.names[0] ?? card.id;
}
