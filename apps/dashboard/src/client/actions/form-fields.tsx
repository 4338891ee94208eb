"use client";
import { type ReactNode, useId } from "react";

export interface StackOption {
  ref: string;
  label: string;
}

export const input =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

/** What is wrong with a field, under it (`id` ties it to the control's aria-describedby). */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <span id={id} role="alert" data-testid="field-error" className="mt-1 block text-xs text-red-700 dark:text-red-300">
      {error}
    </span>
  );
}

/** A labelled control: the label wraps the input, select or textarea passed as children. */
export function Field({
  label,
  error,
  errorId,
  children,
}: {
  label: string;
  error?: string;
  errorId?: string;
  children: ReactNode;
}) {
  const fallback = useId();
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label className="block text-sm">
      {label}
      {children}
      <FieldError id={errorId ?? fallback} error={error} />
    </label>
  );
}

/** A one-line text input with its label, and what is wrong with it. */
export function TextField(p: {
  label: string;
  value: string;
  maxLength?: number;
  error?: string;
  onChange: (v: string) => void;
}) {
  const errorId = useId();
  return (
    <Field label={p.label} error={p.error} errorId={errorId}>
      <input
        aria-label={p.label}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? errorId : undefined}
        value={p.value}
        maxLength={p.maxLength}
        onChange={(e) => p.onChange(e.target.value)}
        className={`${input}${p.error ? " border-red-500 dark:border-red-500" : ""}`}
      />
    </Field>
  );
}

/** A problem of the whole form (not of one field). */
export function FormError({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="form-error">
      {error}
    </p>
  );
}

/** A choice of stack (the other end of a veth, where a link moves to). */
export function StackSelect(p: {
  label: string;
  value: string;
  stacks: StackOption[];
  error?: string;
  onChange: (ref: string) => void;
}) {
  return (
    <Field label={p.label} error={p.error}>
      <select aria-label={p.label} value={p.value} onChange={(e) => p.onChange(e.target.value)} className={input}>
        {p.stacks.map((s) => (
          <option key={s.ref} value={s.ref}>
            {s.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function PlanButton({ disabled = false, pending = false }: { disabled?: boolean; pending?: boolean }) {
  return (
    <button
      type="submit"
      disabled={disabled || pending}
      className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40"
    >
      {pending ? "Planning…" : "Plan"}
    </button>
  );
}
