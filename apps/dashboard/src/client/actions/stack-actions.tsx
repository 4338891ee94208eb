"use client";
import { useParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { StackCard } from "../../lib/stack-cards";
import { stackTitles } from "../../lib/stack-names";
import { useHost } from "../use-host";
import { ActionDialog } from "./action-dialog";
import { type ActionDraft, stackRef } from "./action-draft";
import { DeleteStackForm, FileForm, LinkForm, NewStackForm, VethForm } from "./action-forms";
import { ActionOverlay } from "./action-overlay";
import type { StackOption } from "./form-fields";
import { useActionPolicy } from "./use-action-policy";

type Form = "new-stack" | "delete" | "veth" | "link" | "files";

const TITLES: Record<Form, string> = {
  "new-stack": "New network stack",
  delete: "Delete stack",
  veth: "New veth pair",
  link: "Link action",
  files: "/etc/netns files",
};

const button =
  "rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

/** The guarded actions of one stack card (issue 6): each opens a form, then the server's plan,
 * which runs only after the user types the target's name. Users who may not act see why,
 * once, on the initial stack's card — the server refuses them anyway. */
export function StackActions({ card }: { card: StackCard }) {
  const { id } = useParams<{ id: string }>();
  const hostId = decodeURIComponent(id);
  const { inventory } = useHost();
  const policy = useActionPolicy(hostId);
  const [form, setForm] = useState<Form | null>(null);
  const [draft, setDraft] = useState<ActionDraft | null>(null);
  const stacks: StackOption[] = useMemo(() => {
    const titles = inventory ? stackTitles(inventory) : new Map<string, string>();
    return (inventory?.namespaces ?? [])
      .filter((n) => n.type === "net")
      .map((n) => ({ ref: stackRef(n), label: titles.get(n.id) ?? `unnamed (${n.inode})` }));
  }, [inventory]);
  if (policy.pending) return null;
  if (!policy.mayAct) {
    return card.initial ? (
      <p className="mt-2 text-xs text-slate-500" data-testid="actions-unavailable">
        Actions unavailable: {policy.reason}
      </p>
    ) : null;
  }
  const ref = stackRef(card);
  const name = card.names[0] ?? null;
  const others = stacks.filter((s) => s.ref !== ref);
  const close = () => {
    setForm(null);
    setDraft(null);
  };
  return (
    <div className="mt-3 flex flex-wrap gap-2" data-testid="stack-actions">
      {card.initial && (
        <button type="button" className={button} onClick={() => setForm("new-stack")}>
          New stack…
        </button>
      )}
      <button type="button" className={button} onClick={() => setForm("veth")}>
        New veth pair…
      </button>
      {card.stack && card.stack.links.length > 0 && (
        <button type="button" className={button} onClick={() => setForm("link")}>
          Link…
        </button>
      )}
      {name && (
        <button type="button" className={button} onClick={() => setForm("files")}>
          Files…
        </button>
      )}
      {name && (
        <button type="button" className={`${button} text-red-700 dark:text-red-400`} onClick={() => setForm("delete")}>
          Delete stack…
        </button>
      )}
      {form && (
        <ActionOverlay title={`${TITLES[form]}${form === "new-stack" ? "" : `: ${card.title}`}`} onClose={close}>
          {draft ? (
            <ActionDialog hostId={hostId} draft={draft} onClose={close} />
          ) : form === "new-stack" ? (
            <NewStackForm onDraft={setDraft} />
          ) : form === "delete" && name ? (
            <DeleteStackForm name={name} processCount={card.processCount} onDraft={setDraft} />
          ) : form === "veth" ? (
            <VethForm from={ref} stacks={[...others, ...stacks.filter((s) => s.ref === ref)]} onDraft={setDraft} />
          ) : form === "link" && card.stack ? (
            <LinkForm ns={ref} links={card.stack.links} stacks={others} onDraft={setDraft} />
          ) : form === "files" && name ? (
            <FileForm name={name} files={card.stack?.files ?? {}} onDraft={setDraft} />
          ) : null}
        </ActionOverlay>
      )}
    </div>
  );
}
