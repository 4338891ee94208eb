"use client";
import type { PlanResponse } from "@nsatlas/protocol";
import { useMutation } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useMemo, useState } from "react";
import type { StackCard } from "../../lib/stack-cards";
import { CaptureForm } from "../capture/capture-form";
import { useTRPC } from "../trpc";
import { useHost } from "../use-host";
import { useStackTitles } from "../use-stack-titles";
import { ActionDialog } from "./action-dialog";
import { type ActionDraft, stackRef } from "./action-draft";
import { DeleteStackForm, FileForm, LinkForm, NewStackForm, PinRemoveForm, VethForm } from "./action-forms";
import { ActionOverlay } from "./action-overlay";
import type { FieldErrors } from "./draft-check";
import type { StackOption } from "./form-fields";
import { planErrorFields } from "./plan-errors";

export type ActionForm = "new-stack" | "delete" | "veth" | "link" | "files" | "pin" | "capture";

/** Which pin a "pin" form removes. */
export interface PinRef {
  path: string;
  mountNs: string;
}

/** What a form opens with besides its card: the pin to remove, the link to capture on. */
export interface ActionFocus {
  pin?: PinRef;
  /** The link a form opens with (a port's Capture entry). */
  link?: string | null;
}

const TITLES: Record<ActionForm, string> = {
  "new-stack": "New network stack",
  delete: "Delete stack",
  veth: "New veth pair",
  link: "Link action",
  files: "/etc/netns files",
  pin: "Remove a pin",
  capture: "Capture packets",
};

interface Open {
  form: ActionForm;
  /** The card as it was when the form opened: the dialog must outlive the card itself, which
   * a live update removes the moment a deleted stack is gone — before the outcome is read. */
  card: StackCard;
  focus: ActionFocus;
}

type OpenActionFn = (form: ActionForm, card: StackCard, focus?: ActionFocus) => void;
const OpenAction = createContext<OpenActionFn>(() => {});

/** Opens an action form for a stack card. */
export const useOpenAction = () => useContext(OpenAction);

/** Holds the one open action dialog of a host's views, above the cards it was opened from. */
export function ActionHost({ hostId, children }: { hostId: string; children: ReactNode }) {
  const [open, setOpen] = useState<Open | null>(null);
  const openAction = useMemo<OpenActionFn>(
    () =>
      (form, card, focus = {}) =>
        setOpen({ form, card, focus }),
    [],
  );
  return (
    <OpenAction.Provider value={openAction}>
      {children}
      {open && <ActionPanel hostId={hostId} open={open} onClose={() => setOpen(null)} />}
    </OpenAction.Provider>
  );
}

/** Form → plan → confirm. The form stays, its fields marked, while a draft fails the shared
 * schemas (checked here first) or the server's plan refuses it; only a plan replaces it. */
function ActionPanel({ hostId, open, onClose }: { hostId: string; open: Open; onClose: () => void }) {
  const { inventory } = useHost();
  const titles = useStackTitles();
  const trpc = useTRPC();
  const planning = useMutation(trpc.actions.plan.mutationOptions());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [plan, setPlan] = useState<PlanResponse | null>(null);
  const stacks: StackOption[] = useMemo(() => {
    return (inventory?.namespaces ?? [])
      .filter((n) => n.type === "net")
      .map((n) => ({ ref: stackRef(n), label: titles.get(n.id) ?? `unnamed (${n.inode})` }));
  }, [inventory, titles]);
  const onDraft = async (d: ActionDraft) => {
    // The schemas come with zod: loaded when a form is first sent, not with the page.
    const { checkDraft } = await import("./draft-check");
    const local = checkDraft(d);
    setErrors(local ?? {});
    if (local) return;
    planning.mutate({ hostId, action: d }, { onSuccess: setPlan, onError: (e) => setErrors(planErrorFields(e)) });
  };
  const f = { onDraft, errors, pending: planning.isPending };
  const { form, card, focus } = open;
  const ref = stackRef(card);
  const name = card.names[0] ?? null;
  const others = stacks.filter((s) => s.ref !== ref);
  return (
    <ActionOverlay title={`${TITLES[form]}${form === "new-stack" ? "" : `: ${card.title}`}`} onClose={onClose}>
      {plan ? (
        <ActionDialog plan={plan} onClose={onClose} />
      ) : (
        <>
          {form === "new-stack" ? (
            <NewStackForm {...f} />
          ) : form === "delete" && name ? (
            <DeleteStackForm {...f} name={name} processCount={card.processCount} />
          ) : form === "veth" ? (
            <VethForm {...f} from={ref} stacks={[...others, ...stacks.filter((s) => s.ref === ref)]} />
          ) : form === "link" && card.stack ? (
            <LinkForm {...f} ns={ref} links={card.stack.links} stacks={others} />
          ) : form === "files" && name ? (
            <FileForm {...f} name={name} files={card.stack?.files ?? {}} />
          ) : form === "pin" && focus.pin ? (
            <PinRemoveForm {...f} ns={card.id} pin={focus.pin} />
          ) : form === "capture" ? (
            <CaptureForm
              ns={ref}
              links={card.stack?.links ?? []}
              initialLink={focus.link ?? null}
              onDraft={f.onDraft}
            />
          ) : null}
          <div className="mt-4 text-right">
            <button
              type="button"
              onClick={onClose}
              className="rounded-md border border-slate-300 px-3 py-1 text-sm dark:border-slate-700"
            >
              Cancel
            </button>
          </div>
        </>
      )}
    </ActionOverlay>
  );
}
