"use client";
import { useParams } from "next/navigation";
import type { StackCard } from "../../lib/stack-cards";
import { useOpenAction } from "./action-host";
import { useActionPolicy } from "./use-action-policy";

const button =
  "rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

/** The guarded actions of one stack card: each opens a form (held by the host's ActionHost),
 * then the server's plan, which runs only after the user types the target's name. Users who
 * may not act see why, once, on the initial stack's card — the server refuses them anyway. */
export function StackActions({ card }: { card: StackCard }) {
  const { id } = useParams<{ id: string }>();
  const hostId = decodeURIComponent(id);
  const policy = useActionPolicy(hostId);
  const setForm = useOpenAction();
  if (policy.pending) return null;
  if (!policy.mayAct) {
    return card.initial ? (
      <p className="mt-2 text-xs text-slate-500" data-testid="actions-unavailable">
        Actions unavailable: {policy.reason}
      </p>
    ) : null;
  }
  const name = card.names[0] ?? null;
  return (
    <div className="mt-3 flex flex-wrap gap-2" data-testid="stack-actions">
      {card.initial && (
        <button type="button" className={button} onClick={() => setForm("new-stack", card)}>
          New stack…
        </button>
      )}
      <button type="button" className={button} onClick={() => setForm("veth", card)}>
        New veth pair…
      </button>
      {card.stack && card.stack.links.length > 0 && (
        <button type="button" className={button} onClick={() => setForm("link", card)}>
          Link…
        </button>
      )}
      <button type="button" className={button} onClick={() => setForm("capture", card)}>
        Capture…
      </button>
      {name && (
        <button type="button" className={button} onClick={() => setForm("files", card)}>
          Files…
        </button>
      )}
      {name && (
        <button
          type="button"
          className={`${button} text-red-700 dark:text-red-400`}
          onClick={() => setForm("delete", card)}
        >
          Delete stack…
        </button>
      )}
    </div>
  );
}
