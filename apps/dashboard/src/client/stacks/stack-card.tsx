"use client";
import type { Link as NetLink, NetStack } from "@nsatlas/protocol";
import Link from "next/link";
import type { StackCard as Card } from "../../lib/stack-cards";
import { StackActions } from "../actions/stack-actions";
import { Badge } from "../ui";
import { HowToFree } from "./how-to-free";

function LinkRow({ link, base, titles }: { link: NetLink; base: string; titles: ReadonlyMap<string, string> }) {
  return (
    <li className="py-1">
      <span className="font-mono font-medium">{link.name}</span> <Badge>{link.kind}</Badge>{" "}
      <span className={`text-xs ${link.state === "UP" ? "text-emerald-600" : "text-slate-500"}`}>{link.state}</span>
      {link.master && <span className="text-xs text-slate-500"> · port of {link.master}</span>}
      {link.peer && (
        <span className="text-xs">
          {" "}
          ⇄{" "}
          <Link
            className="text-indigo-700 hover:underline dark:text-indigo-300"
            href={`${base}/stacks#${link.peer.ns}`}
          >
            {link.peer.name} in {titles.get(link.peer.ns) ?? link.peer.ns}
          </Link>
        </span>
      )}
      {link.tunOwners.length > 0 && (
        <span className="text-xs text-slate-500"> · owned by {link.tunOwners.join(", ")}</span>
      )}
      {link.addresses.length > 0 && (
        <div className="ml-4 font-mono text-xs text-slate-600 dark:text-slate-400">
          {link.addresses.map((a) => `${a.address}/${a.prefixlen}`).join("  ")}
        </div>
      )}
    </li>
  );
}

function StackDetail({ stack, base, titles }: { stack: NetStack; base: string; titles: ReadonlyMap<string, string> }) {
  return (
    <div className="mt-3 grid gap-3 md:grid-cols-2">
      <div>
        <h4 className="text-xs font-semibold uppercase text-slate-500">Links</h4>
        <ul className="text-sm">
          {stack.links.map((l) => (
            <LinkRow key={l.ifindex} link={l} base={base} titles={titles} />
          ))}
        </ul>
      </div>
      <div className="space-y-3">
        {stack.listening.length > 0 && (
          <div>
            <h4 className="text-xs font-semibold uppercase text-slate-500">Listening</h4>
            <ul className="font-mono text-xs">
              {stack.listening.map((s) => (
                <li key={`${s.proto}${s.address}${s.port}`}>
                  {s.proto} {s.address.includes(":") ? `[${s.address}]` : s.address}:{s.port}
                  {s.pids.length > 0 && <span className="text-slate-500"> ← {s.pids.join(", ")}</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
        {Object.keys(stack.files).length > 0 && (
          <div>
            <h4 className="text-xs font-semibold uppercase text-slate-500">/etc/netns files</h4>
            {Object.entries(stack.files).map(([name, content]) => (
              <details key={name} className="text-xs">
                <summary className="cursor-pointer font-mono">{name}</summary>
                <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-100 p-2 dark:bg-slate-800">{content}</pre>
              </details>
            ))}
          </div>
        )}
        {stack.routes.length > 0 && (
          <details className="text-xs">
            <summary className="cursor-pointer font-semibold uppercase text-slate-500">
              Routes ({stack.routes.length})
            </summary>
            <ul className="mt-1 font-mono">
              {stack.routes.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: routes have no identity of their own
                <li key={i}>
                  {r.dst}
                  {r.gateway ? ` via ${r.gateway}` : ""}
                  {r.dev ? ` dev ${r.dev}` : ""} {r.table !== "main" ? `table ${r.table}` : ""}
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </div>
  );
}

/** One network stack: who shares it, why it is alive, its links, ports and files. */
export function StackCardView({
  card,
  base,
  titles,
}: {
  card: Card;
  base: string;
  titles: ReadonlyMap<string, string>;
}) {
  return (
    <article
      id={card.id}
      data-testid="stack-card"
      data-stack={card.id}
      className="scroll-mt-20 rounded-lg border border-slate-200 bg-white p-4 shadow-sm target:ring-2 target:ring-indigo-500 dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex flex-wrap items-baseline gap-2">
        <h3 className="text-base font-semibold">{card.title}</h3>
        {card.initial && <Badge tone="indigo">initial stack</Badge>}
        <span className="font-mono text-xs text-slate-500">{card.id}</span>
        {card.findings.map((f) => (
          <Badge key={`${f.code}${f.message}`} tone={f.code === "duplicate-address" ? "slate" : "amber"}>
            <span title={f.message}>{f.code}</span>
          </Badge>
        ))}
      </header>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        <span className="font-medium">Alive because of:</span>{" "}
        {card.reasons.map((r) => r.text).join(" · ") || "nothing visible"}
      </p>
      {card.groups.length > 0 && (
        <div className="mt-2 flex flex-wrap gap-2" data-testid="stack-processes">
          {card.groups.slice(0, 12).map((g) => (
            <span
              key={g.label}
              className="rounded border border-slate-200 px-2 py-1 text-xs dark:border-slate-700"
              title={g.commands.join("\n")}
            >
              <span className="font-medium">{g.label}</span> ×{g.pids.length}{" "}
              <span className="text-slate-500">
                {g.pids.slice(0, 6).map((pid, i) => (
                  <span key={pid}>
                    {i > 0 && ", "}
                    <Link className="hover:underline" href={`${base}/processes/${pid}`} data-pid={pid}>
                      {pid}
                    </Link>
                  </span>
                ))}
                {g.pids.length > 6 && "…"}
              </span>
            </span>
          ))}
          {card.groups.length > 12 && (
            <span className="text-xs text-slate-500">and {card.groups.length - 12} more groups</span>
          )}
        </div>
      )}
      {card.findings.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-xs text-amber-800 dark:text-amber-300">
          {card.findings.map((f) => (
            <li key={`${f.code}${f.message}`}>{f.message}</li>
          ))}
        </ul>
      )}
      <HowToFree card={card} />
      {card.stack ? (
        <StackDetail stack={card.stack} base={base} titles={titles} />
      ) : (
        <p className="mt-2 text-xs text-slate-500">No stack detail (the agent runs with --no-netstacks).</p>
      )}
      {/* Issue 6 (guarded actions; owned by src/client/actions): the card's action buttons. */}
      <StackActions card={card} />
    </article>
  );
}
