import { Action } from "@nsatlas/protocol";
import type { ActionDraft } from "./action-draft";

/** Problems of a drafted action, by parameter path ("name", "a.name", "address"); "" is the
 * form as a whole. */
export type FieldErrors = Readonly<Record<string, string>>;

/** Zod's own wording for a value of the wrong kind, in words a person filling a form reads. */
function plain(message: string): string {
  if (/^Invalid input: expected string/.test(message)) return "required";
  if (/^Too small/.test(message) || /^String must contain at least/.test(message)) return "required";
  return message.replace(/^Invalid input: /, "");
}

/** Checks a draft with the same zod schemas the hub plans with and the agent runs with, so a
 * form shows what is wrong next to the field before anything is sent. Null: it is valid. */
export function checkDraft(d: ActionDraft): FieldErrors | null {
  const r = Action.safeParse(d);
  if (r.success) return null;
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const path = issue.path.map(String);
    const key = path[0] === "params" ? path.slice(1).join(".") : "";
    out[key] ??= plain(issue.message);
  }
  return out;
}
