"use client";
import type { ActionImpact, ConfirmResponse, PlanResponse } from "@nsatlas/protocol";
import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useEffect, useState } from "react";
import { useTRPC } from "../trpc";
import { Badge, ErrorNote } from "../ui";
import { useStackTitles } from "../use-stack-titles";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mt-3">
      <h4 className="text-xs font-semibold uppercase text-slate-500">{title}</h4>
      {children}
    </div>
  );
}

/** A unified diff, its added and removed lines marked. */
function Diff({ text }: { text: string }) {
  const lines = text.replace(/\n$/, "").split("\n");
  return (
    <pre className="max-h-60 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800" data-testid="file-diff">
      {lines.map((l, i) => {
        const tone =
          l.startsWith("+") && !l.startsWith("+++")
            ? "text-emerald-800 dark:text-emerald-300"
            : l.startsWith("-") && !l.startsWith("---")
              ? "text-red-800 dark:text-red-300"
              : l.startsWith("@@")
                ? "text-indigo-700 dark:text-indigo-300"
                : "";
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a diff have no identity but their place
          <span key={i} className={`block ${tone}`}>
            {l}
          </span>
        );
      })}
    </pre>
  );
}

function Impact({ impact }: { impact: ActionImpact }) {
  return (
    <>
      {impact.diff && (
        <Section title="Change">
          <Diff text={impact.diff} />
        </Section>
      )}
      {impact.processes.length > 0 && (
        <Section title={`Processes it reaches (${impact.processes.length})`}>
          <ul className="max-h-28 overflow-auto font-mono text-xs">
            {impact.processes.map((p) => (
              <li key={p.pid}>
                {p.pid} {p.comm} <span className="text-slate-500">{p.command}</span>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {impact.links.length > 0 && (
        <Section title="Links that move">
          <ul className="text-sm">
            {impact.links.map((l) => (
              <li key={l.name}>
                <span className="font-mono">{l.name}</span> ({l.kind}): {l.from} → {l.to ?? "destroyed"}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {impact.unreachable.length > 0 && (
        <Section title="Becomes unreachable">
          <ul className="text-sm text-amber-800 dark:text-amber-300">
            {impact.unreachable.map((u) => (
              <li key={u.what}>
                <span className="font-mono">{u.what}</span>: {u.why}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {impact.notes.length > 0 && (
        <ul className="mt-3 list-disc pl-5 text-sm text-slate-600 dark:text-slate-400">
          {impact.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function Outcome({ outcome }: { outcome: ConfirmResponse }) {
  const r = outcome.result;
  const titles = useStackTitles();
  return (
    <div data-testid="action-outcome" data-status={outcome.status} className="mt-3">
      <Badge tone={outcome.status === "succeeded" ? "emerald" : "red"}>{outcome.status}</Badge>
      {outcome.error && <p className="mt-2 text-sm text-red-700 dark:text-red-300">{outcome.error.message}</p>}
      {r?.capture && (
        <a
          href={`/captures/${encodeURIComponent(r.capture.id)}`}
          data-testid="capture-link"
          className="mt-2 inline-block rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white"
        >
          Open the live capture
        </a>
      )}
      {r && (r.stdout || r.stderr) && (
        <pre className="mt-2 max-h-32 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{`${r.stdout}${r.stderr}`}</pre>
      )}
      {r && r.stacks.length > 0 && (
        <Section title="Now">
          {r.stacks.map((s) => (
            <div key={s.id} className="text-sm">
              <span className="font-medium">{titles.get(s.id) ?? (s.names.join(", ") || s.id)}</span>{" "}
              <span className="font-mono text-xs text-slate-500">{s.id}</span>
              <ul className="ml-4 font-mono text-xs">
                {s.links.map((l) => (
                  <li key={l.name}>
                    {l.name} {l.state} {l.addresses.join(" ")}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </Section>
      )}
    </div>
  );
}

/** Confirm → result, for one plan: the server's dry run (exact command and impact) is shown,
 * and runs only once the user has typed the confirm word. */
export function ActionDialog({ plan: p, onClose }: { plan: PlanResponse; onClose: () => void }) {
  const trpc = useTRPC();
  const confirm = useMutation(trpc.actions.confirm.mutationOptions());
  const [typed, setTyped] = useState("");
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.round((Date.parse(p.expiresAt) - now) / 1000));
  const what = p.impact.warning ? "the host name" : "";
  return (
    <div>
      <div data-testid="action-plan">
        <p className="font-medium">{p.summary}</p>
        {p.impact.warning && (
          <p
            role="alert"
            data-testid="host-cut-warning"
            className="mt-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm font-medium text-red-800 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200"
          >
            {p.impact.warning}
          </p>
        )}
        <Section title={p.command ? "Command the agent will run" : "File the agent will change"}>
          <code className="block break-all rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
            {p.command ? p.command.join(" ") : p.writes}
          </code>
        </Section>
        <Impact impact={p.impact} />
        {!confirm.data && (
          <form
            className="mt-4 flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (typed === p.confirm) confirm.mutate({ planId: p.planId, confirm: typed });
            }}
          >
            <label className="text-sm">
              Type {what} <span className="font-mono font-semibold">{p.confirm}</span> to confirm
              <input
                aria-label={`Type ${p.confirm} to confirm`}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                // biome-ignore lint/a11y/noAutofocus: the plan's one question; the dialog moves focus to it
                autoFocus
                className="mt-1 block w-64 max-w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
              />
            </label>
            <button
              type="submit"
              disabled={typed !== p.confirm || confirm.isPending || left === 0}
              className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40"
            >
              {confirm.isPending ? "Running…" : "Run"}
            </button>
            <span className="text-xs text-slate-500">
              {left > 0 ? `plan expires in ${left} s` : "plan expired: close and plan again"}
            </span>
          </form>
        )}
        {confirm.error && <ErrorNote error={confirm.error} />}
        {confirm.data && <Outcome outcome={confirm.data} />}
      </div>
      <div className="mt-4 text-right">
        <button
          type="button"
          onClick={onClose}
          className="rounded-md border border-slate-300 px-3 py-1 text-sm dark:border-slate-700"
        >
          {confirm.data ? "Close" : "Cancel"}
        </button>
      </div>
    </div>
  );
}
