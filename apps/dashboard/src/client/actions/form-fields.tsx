"use client";
import type { ReactNode } from "react";

export interface StackOption {
  ref: string;
  label: string;
}

export const input =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

/** A labelled control: the label wraps the input, select or textarea passed as children. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label className="block text-sm">
      {label}
      {children}
    </label>
  );
}

/** A one-line text input with its label. */
export function TextField(p: { label: string; value: string; maxLength?: number; onChange: (v: string) => void }) {
  return (
    <Field label={p.label}>
      <input
        aria-label={p.label}
        value={p.value}
        maxLength={p.maxLength}
        onChange={(e) => p.onChange(e.target.value)}
        className={input}
      />
    </Field>
  );
}

/** A choice of stack (the other end of a veth, where a link moves to). */
export function StackSelect(p: {
  label: string;
  value: string;
  stacks: StackOption[];
  onChange: (ref: string) => void;
}) {
  return (
    <Field label={p.label}>
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

export function PlanButton({ disabled = false }: { disabled?: boolean }) {
  return (
    <button
      type="submit"
      disabled={disabled}
      className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40"
    >
      Plan
    </button>
  );
}
