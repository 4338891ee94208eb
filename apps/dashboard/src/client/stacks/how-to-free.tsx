"use client";
import { type FreeingStep, freeingSteps } from "../../lib/freeing-steps";
import type { StackCard } from "../../lib/stack-cards";
import { useOpenAction } from "../actions/action-host";
import { useActionPolicy } from "../actions/use-action-policy";
import { useHost } from "../use-host";

const button =
  "rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

function PinStep({
  step,
  card,
  mayAct,
}: {
  step: Extract<FreeingStep, { kind: "pin" }>;
  card: StackCard;
  mayAct: boolean;
}) {
  const openAction = useOpenAction();
  const where = step.hostMountNs
    ? "the host's mount namespace"
    : `mount namespace ${step.mountNs}${step.container ? ` (container ${step.container})` : ""}`;
  const first = step.members[0];
  return (
    <li data-testid="free-pin">
      Pinned at <span className="font-mono">{step.path}</span> in {where}
      {first ? (
        <>
          , where pid {first.pid} ({first.comm}) lives
          {mayAct && (
            <>
              {" "}
              <button
                type="button"
                className={button}
                onClick={() => openAction("pin", card, { pin: { path: step.path, mountNs: step.mountNs } })}
              >
                Remove pin…
              </button>
            </>
          )}
        </>
      ) : (
        <>: no process lives in that mount namespace, so nothing can enter it to unmount the pin.</>
      )}
    </li>
  );
}

/** "How to free it", on a leaked stack's card: every reference that keeps it alive, who owns
 * it, and the fix — a guarded pin removal, or the command that ends a holding process. */
export function HowToFree({ card }: { card: StackCard }) {
  const { inventory, hostId } = useHost();
  const policy = useActionPolicy(hostId);
  if (!inventory || !card.findings.some((f) => f.code === "leaked-stack")) return null;
  const ns = inventory.namespaces.find((n) => n.id === card.id);
  if (!ns) return null;
  const steps = freeingSteps(ns, inventory);
  if (steps.length === 0) return null;
  return (
    <section
      className="mt-2 rounded-md border border-amber-200 bg-amber-50 p-2 text-xs dark:border-amber-900 dark:bg-amber-950/40"
      data-testid="how-to-free"
    >
      <h4 className="font-semibold text-amber-900 dark:text-amber-200">How to free it</h4>
      <ul className="mt-1 space-y-1 text-slate-700 dark:text-slate-300">
        {steps.map((s) =>
          s.kind === "pin" ? (
            <PinStep key={`${s.mountNs}${s.path}`} step={s} card={card} mayAct={!policy.pending && policy.mayAct} />
          ) : (
            <li key={`${s.holder}${s.who.pid}${s.detail}`} data-testid="free-process">
              pid {s.who.pid} ({s.who.comm}) {s.detail}: nsatlas does not end processes; its owner can, with{" "}
              <code className="rounded bg-slate-100 px-1 font-mono dark:bg-slate-800">{s.command}</code>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
