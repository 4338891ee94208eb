"use client";
import Link from "next/link";
import type { WiringModel, WiringPort, WiringStack } from "../../lib/wiring-model";
import { type PortActionContext, PortActionMenu } from "./port-actions";

function PortFacts({ port }: { port: WiringPort }) {
  const l = port.link;
  const rows: Array<[string, string]> = l
    ? [
        ["kind", l.kind],
        ["state", `${l.state}${port.down ? " (down)" : ""}`],
        ["flags", l.flags.join(",")],
        ["mtu", String(l.mtu)],
        ["mac", l.mac ?? "—"],
        ["addresses", l.addresses.map((a) => `${a.address}/${a.prefixlen}`).join(" ") || "—"],
        ...(l.master ? ([["port of", l.master]] as Array<[string, string]>) : []),
        ...(l.peer ? ([["peer", `${l.peer.name} in ${l.peer.ns}`]] as Array<[string, string]>) : []),
        ...(l.parent ? ([["parent", l.parent]] as Array<[string, string]>) : []),
        ...(l.linkNs ? ([["other end in", l.linkNs]] as Array<[string, string]>) : []),
        ...(l.tunOwners.length
          ? ([["owners", l.tunOwners.map((p) => `pid ${p}`).join(", ")]] as Array<[string, string]>)
          : []),
      ]
    : [["process", port.name]];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-600 dark:text-slate-400">{k}</dt>
          <dd className="break-all">{v}</dd>
        </div>
      ))}
      {port.duplicates.map((d) => (
        <div key={d} className="contents">
          <dt className="text-amber-600">finding</dt>
          <dd className="text-amber-700 dark:text-amber-400">{d} is also in another stack</dd>
        </div>
      ))}
    </dl>
  );
}

function StackFacts({ stack }: { stack: WiringStack }) {
  return (
    <div className="text-xs">
      <div className="text-slate-600 dark:text-slate-400">{stack.id}</div>
      <div>
        {stack.processes} processes · {stack.ports.filter((p) => p.link).length} links (lo not drawn)
      </div>
      {stack.findings.length > 0 && (
        <ul className="mt-1 list-disc pl-4 text-amber-700 dark:text-amber-400">
          {stack.findings.map((f) => (
            <li key={`${f.code}:${f.message}`}>{f.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const find = (model: WiringModel, id: string) => {
  for (const s of model.stacks) {
    if (s.id === id) return { stack: s, port: null };
    const port = s.ports.find((p) => p.id === id);
    if (port) return { stack: s, port };
  }
  return null;
};

/** The card that follows the pointer over a stack's header or a port. */
export function HoverCard({ model, id, x, y }: { model: WiringModel; id: string; x: number; y: number }) {
  const hit = find(model, id);
  if (!hit) return null;
  return (
    <div
      role="tooltip"
      data-testid="wiring-hover"
      className="pointer-events-none fixed z-50 max-w-xs rounded-md border border-slate-300 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900"
      style={{ left: Math.min(x + 14, window.innerWidth - 300), top: Math.min(y + 14, window.innerHeight - 220) }}
    >
      <div className="mb-1 text-sm font-semibold">
        {hit.port ? `${hit.port.name} in ${hit.stack.title}` : hit.stack.title}
      </div>
      {hit.port ? <PortFacts port={hit.port} /> : <StackFacts stack={hit.stack} />}
    </div>
  );
}

/** The card of the clicked stack or port, beside the drawing (under it on a phone). */
export function SelectionCard({
  model,
  id,
  ctx,
  onClose,
}: {
  model: WiringModel;
  id: string;
  ctx: PortActionContext;
  onClose: () => void;
}) {
  const hit = find(model, id);
  if (!hit) return null;
  return (
    <section
      data-testid="wiring-card"
      aria-label={hit.port ? `Port ${hit.port.name}` : `Stack ${hit.stack.title}`}
      className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex items-start gap-2">
        <h3 className="min-w-0 flex-1 break-words font-semibold">{hit.port ? hit.port.name : hit.stack.title}</h3>
        <button type="button" aria-label="Close" className="text-slate-600 dark:text-slate-400" onClick={onClose}>
          ✕
        </button>
      </div>
      {hit.port ? (
        <>
          <div className="mb-1 text-xs text-slate-600 dark:text-slate-400">in {hit.stack.title}</div>
          <PortFacts port={hit.port} />
          <PortActionMenu port={hit.port} ctx={ctx} />
        </>
      ) : (
        <>
          <StackFacts stack={hit.stack} />
          <div className="mt-2 flex flex-wrap gap-2 text-xs">
            <button
              type="button"
              className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700"
              onClick={() => ctx.focus(hit.stack.id)}
            >
              Focus on this stack
            </button>
            <Link
              className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700"
              href={`${ctx.base}/stacks#${hit.stack.id}`}
            >
              Open in Stacks
            </Link>
          </div>
        </>
      )}
    </section>
  );
}
