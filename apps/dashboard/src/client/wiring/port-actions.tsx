"use client";
import type { WiringPort } from "../../lib/wiring-model";

/** One entry of a port's action menu. */
export interface PortAction {
  id: string;
  label: string;
  run: () => void;
}

export interface PortActionContext {
  /** Shows the port's stack and its neighbours only. */
  focus: (stackId: string) => void;
  /** Base of the host's pages (`/hosts/<id>`). */
  base: string;
  /** Opens the capture form on one link of a stack; absent when the user may not capture. */
  capture?: (stackId: string, link: string) => void;
}

/** The actions a port offers, in menu order; each per-port action is one entry here. */
export function portActions(port: WiringPort, ctx: PortActionContext): PortAction[] {
  const actions: PortAction[] = [{ id: "focus", label: "Focus on its stack", run: () => ctx.focus(port.stack) }];
  if (port.link)
    actions.push({
      id: "copy-name",
      label: "Copy interface name",
      run: () => void navigator.clipboard?.writeText(port.name),
    });
  const { capture } = ctx;
  if (port.link && capture)
    actions.push({ id: "capture", label: "Capture on this interface…", run: () => capture(port.stack, port.name) });
  return actions;
}

/** The menu of a port's actions (in the side panel of the wiring view). */
export function PortActionMenu({ port, ctx }: { port: WiringPort; ctx: PortActionContext }) {
  return (
    <div
      role="menu"
      aria-label={`Actions on ${port.name}`}
      data-testid="port-actions"
      className="mt-2 flex flex-wrap gap-2"
    >
      {portActions(port, ctx).map((a) => (
        <button
          key={a.id}
          type="button"
          role="menuitem"
          className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          onClick={a.run}
        >
          {a.label}
        </button>
      ))}
    </div>
  );
}
