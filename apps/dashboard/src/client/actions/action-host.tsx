"use client";
import { createContext, type ReactNode, useContext, useMemo, useState } from "react";
import type { StackCard } from "../../lib/stack-cards";
import { CaptureForm } from "../capture/capture-form";
import { useHost } from "../use-host";
import { useStackTitles } from "../use-stack-titles";
import { ActionDialog } from "./action-dialog";
import { type ActionDraft, stackRef } from "./action-draft";
import { DeleteStackForm, FileForm, LinkForm, NewStackForm, VethForm } from "./action-forms";
import { ActionOverlay } from "./action-overlay";
import type { StackOption } from "./form-fields";

export type ActionForm = "new-stack" | "delete" | "veth" | "link" | "files" | "capture";

const TITLES: Record<ActionForm, string> = {
  "new-stack": "New network stack",
  delete: "Delete stack",
  veth: "New veth pair",
  link: "Link action",
  files: "/etc/netns files",
  capture: "Capture packets",
};

interface Open {
  form: ActionForm;
  /** The card as it was when the form opened: the dialog must outlive the card itself, which
   * a live update removes the moment a deleted stack is gone — before the outcome is read. */
  card: StackCard;
  /** The link a form opens with (a port's Capture entry). */
  link?: string | null;
}

const OpenAction = createContext<(form: ActionForm, card: StackCard, link?: string | null) => void>(() => {});

/** Opens an action form for a stack card. */
export const useOpenAction = () => useContext(OpenAction);

/** Holds the one open action dialog of a host's views, above the cards it was opened from. */
export function ActionHost({ hostId, children }: { hostId: string; children: ReactNode }) {
  const [open, setOpen] = useState<Open | null>(null);
  const openAction = useMemo(
    () => (form: ActionForm, card: StackCard, link?: string | null) => setOpen({ form, card, link: link ?? null }),
    [],
  );
  return (
    <OpenAction.Provider value={openAction}>
      {children}
      {open && <ActionPanel hostId={hostId} open={open} onClose={() => setOpen(null)} />}
    </OpenAction.Provider>
  );
}

function ActionPanel({ hostId, open, onClose }: { hostId: string; open: Open; onClose: () => void }) {
  const { inventory } = useHost();
  const titles = useStackTitles();
  const [draft, setDraft] = useState<ActionDraft | null>(null);
  const stacks: StackOption[] = useMemo(() => {
    return (inventory?.namespaces ?? [])
      .filter((n) => n.type === "net")
      .map((n) => ({ ref: stackRef(n), label: titles.get(n.id) ?? `unnamed (${n.inode})` }));
  }, [inventory, titles]);
  const { form, card } = open;
  const ref = stackRef(card);
  const name = card.names[0] ?? null;
  const others = stacks.filter((s) => s.ref !== ref);
  return (
    <ActionOverlay title={`${TITLES[form]}${form === "new-stack" ? "" : `: ${card.title}`}`} onClose={onClose}>
      {draft ? (
        <ActionDialog hostId={hostId} draft={draft} onClose={onClose} />
      ) : form === "new-stack" ? (
        <NewStackForm onDraft={setDraft} />
      ) : form === "delete" && name ? (
        <DeleteStackForm name={name} processCount={card.processCount} onDraft={setDraft} />
      ) : form === "veth" ? (
        <VethForm from={ref} stacks={[...others, ...stacks.filter((s) => s.ref === ref)]} onDraft={setDraft} />
      ) : form === "link" && card.stack ? (
        <LinkForm ns={ref} links={card.stack.links} stacks={others} onDraft={setDraft} />
      ) : form === "capture" ? (
        <CaptureForm ns={ref} links={card.stack?.links ?? []} initialLink={open.link ?? null} onDraft={setDraft} />
      ) : form === "files" && name ? (
        <FileForm name={name} files={card.stack?.files ?? {}} onDraft={setDraft} />
      ) : null}
    </ActionOverlay>
  );
}
