"use client";
import type { NamespaceType } from "@nsatlas/protocol";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useMemo } from "react";
import { Badge, Card, Empty, ErrorNote, Loading } from "#client/ui.tsx";
import { useHost } from "#client/use-host.ts";
import { sharers } from "#lib/share-matrix.ts";

export default function ProcessPage() {
  const { hostId, query, inventory } = useHost();
  const pid = Number(useParams<{ pid: string }>().pid);
  const p = inventory?.processes.find((x) => x.pid === pid);
  const share = useMemo(() => (p && inventory ? sharers(p, inventory.processes) : null), [p, inventory]);
  if (query.isPending) return <Loading what="process" />;
  if (query.error) return <ErrorNote error={query.error} />;
  if (!inventory || !p || !share) return <Empty>Process {pid} is not (or no longer) on this host.</Empty>;
  const base = `/hosts/${encodeURIComponent(hostId)}`;
  const nsOf = (t: NamespaceType) => inventory.namespaces.find((n) => n.id === `${t}:${p.ns[t]}`);
  const comm = new Map(inventory.processes.map((x) => [x.pid, x.comm]));
  return (
    <div className="space-y-4">
      <Card>
        <h2 className="text-lg font-semibold">
          {p.pid} <span className="font-normal text-slate-600 dark:text-slate-400">{p.comm}</span>
        </h2>
        <p className="mt-1 break-all font-mono text-sm">{p.cmdline.join(" ") || `[${p.comm}]`}</p>
        <dl className="mt-2 grid grid-cols-2 gap-1 text-sm sm:grid-cols-4">
          <dt className="text-slate-600 dark:text-slate-400">parent</dt>
          <dd>
            <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`${base}/processes/${p.ppid}`}>
              {p.ppid}
            </Link>
          </dd>
          <dt className="text-slate-600 dark:text-slate-400">user</dt>
          <dd>{p.user ?? p.uid}</dd>
          <dt className="text-slate-600 dark:text-slate-400">state</dt>
          <dd>{p.state === "Z" ? "Z (zombie: its parent has not reaped it)" : (p.state ?? "—")}</dd>
          <dt className="text-slate-600 dark:text-slate-400">pid in nested namespaces</dt>
          <dd>{p.nspid.join(" → ")}</dd>
          <dt className="text-slate-600 dark:text-slate-400">container</dt>
          <dd>
            {p.container
              ? `${p.container.runtime} ${p.container.id?.slice(0, 12) ?? ""} ${p.container.podUid ? `pod ${p.container.podUid}` : ""}`
              : "—"}
          </dd>
        </dl>
      </Card>
      <table className="w-full text-left text-sm [&_td]:px-2 [&_th]:px-2" data-testid="process-namespaces">
        <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
          <tr>
            <th className="py-2">Type</th>
            <th>Namespace</th>
            <th>Shared with</th>
          </tr>
        </thead>
        <tbody>
          {NAMESPACE_TYPES.map((t) => {
            const ns = nsOf(t);
            const others = share[t];
            return (
              <tr key={t} className="border-t border-slate-200 align-top dark:border-slate-800">
                <td className="py-1.5 font-medium">{t}</td>
                <td className="font-mono">
                  {t === "net" ? (
                    <Link
                      className="text-indigo-700 hover:underline dark:text-indigo-300"
                      href={`${base}/stacks#net:${p.ns.net}`}
                    >
                      {p.ns[t]}
                    </Link>
                  ) : (
                    p.ns[t]
                  )}{" "}
                  {ns?.initial && <Badge tone="indigo">initial</Badge>}{" "}
                  {ns?.names.map((n) => (
                    <Badge key={n}>{n}</Badge>
                  ))}
                  {(t === "pid" || t === "time") && p.nsForChildren[t] !== p.ns[t] && (
                    <div className="text-xs text-amber-700">
                      children go to {t}:{p.nsForChildren[t]}
                    </div>
                  )}
                </td>
                <td className="text-xs">
                  {others.length === 0
                    ? "nobody else"
                    : ns?.initial
                      ? `${others.length} other processes (the initial namespace)`
                      : others.slice(0, 20).map((o, i) => (
                          <span key={o}>
                            {i > 0 && ", "}
                            <Link className="hover:underline" href={`${base}/processes/${o}`}>
                              {o} {comm.get(o)}
                            </Link>
                          </span>
                        ))}
                  {!ns?.initial && others.length > 20 && ` and ${others.length - 20} more`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Link
        className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
        href={`${base}/processes?select=${p.pid},${p.ppid}`}
      >
        Compare with its parent in the share matrix →
      </Link>
    </div>
  );
}
