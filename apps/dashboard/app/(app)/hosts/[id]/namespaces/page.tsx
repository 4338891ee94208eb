"use client";
import type { NamespaceType } from "@nsatlas/protocol";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useMemo } from "react";
import { downloadCsv, downloadJson } from "#client/export.ts";
import { HoverLink } from "#client/hover-link.tsx";
import { Badge, Empty, ErrorNote, Loading } from "#client/ui.tsx";
import { useHost } from "#client/use-host.ts";
import { namespaceRows, namespaceTree } from "#lib/namespace-rows.ts";

function NamespacesView() {
  const { hostId, query, inventory } = useHost();
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const type = (NAMESPACE_TYPES as readonly string[]).includes(params.get("type") ?? "")
    ? (params.get("type") as NamespaceType)
    : "net";
  const asTree = params.get("view") === "tree" && (type === "user" || type === "pid");
  const rows = useMemo(() => (inventory ? namespaceRows(inventory, type) : []), [inventory, type]);
  const tree = useMemo(
    () => (inventory && (type === "user" || type === "pid") ? namespaceTree(inventory, type) : []),
    [inventory, type],
  );
  if (query.isPending) return <Loading what="namespaces" />;
  if (query.error) return <ErrorNote error={query.error} />;
  if (!inventory) return <Empty>No inventory yet.</Empty>;
  const base = `/hosts/${encodeURIComponent(hostId)}`;
  const go = (t: string, view?: string) => router.replace(`${path}?type=${t}${view ? `&view=${view}` : ""}`);
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-1">
        {NAMESPACE_TYPES.map((t) => (
          <button
            key={t}
            type="button"
            onClick={() => go(t)}
            aria-pressed={t === type}
            className={`rounded-md px-3 py-1 text-sm ${t === type ? "bg-indigo-600 text-white" : "bg-slate-200 dark:bg-slate-800"}`}
          >
            {t}
          </button>
        ))}
        {(type === "user" || type === "pid") && (
          <button
            type="button"
            className="ml-3 text-sm text-indigo-700 underline dark:text-indigo-300"
            onClick={() => go(type, asTree ? undefined : "tree")}
          >
            {asTree ? "show as table" : "show as tree"}
          </button>
        )}
        <span className="ml-auto flex gap-2">
          <button
            type="button"
            className="rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700"
            onClick={() => downloadJson(`${type}-namespaces.json`, rows)}
          >
            Export JSON
          </button>
          <button
            type="button"
            className="rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700"
            onClick={() =>
              downloadCsv(`${type}-namespaces.csv`, [
                ["id", "names", "processes", "other holders", "pid", "command", "owner", "parent"],
                ...rows.map((r) => [
                  r.id,
                  r.names.join(" "),
                  r.processCount,
                  Object.entries(r.holderCounts)
                    .map(([k, v]) => `${k}:${v}`)
                    .join(" "),
                  r.firstPid ?? "",
                  r.command,
                  r.owner ?? "",
                  r.parent ?? "",
                ]),
              ])
            }
          >
            Export CSV
          </button>
        </span>
      </div>
      {asTree ? (
        <ul className="font-mono text-sm" data-testid="ns-tree">
          {tree.map(({ ns, depth }) => (
            <li key={ns.id} style={{ paddingLeft: `${depth * 1.5}rem` }} className="py-0.5">
              {depth > 0 ? "└─ " : ""}
              {ns.id} {ns.initial && <Badge tone="indigo">initial</Badge>}{" "}
              <span className="text-slate-600 dark:text-slate-400">
                {ns.pids.length} processes{ns.ownerUid !== undefined ? ` · owner uid ${ns.ownerUid}` : ""}
                {ns.pids.length === 0 && ns.holders.length === 0 ? " · kept alive by its children" : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <table className="cards-on-phone w-full text-left text-sm [&_td]:px-2 [&_th]:px-2">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr>
              <th className="py-2">Namespace</th>
              <th>Names</th>
              <th className="text-right">Processes</th>
              <th>Other holders</th>
              <th>First process</th>
              <th>Owner</th>
              {(type === "user" || type === "pid") && <th>Parent</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-200 align-top dark:border-slate-800">
                <td className="py-1.5 font-mono" data-label="namespace">
                  {type === "net" ? (
                    <Link
                      className="text-indigo-700 underline decoration-dotted underline-offset-2 dark:text-indigo-300"
                      href={`${base}/stacks#${r.id}`}
                    >
                      {r.inode}
                    </Link>
                  ) : (
                    r.inode
                  )}{" "}
                  {r.initial && <Badge tone="indigo">initial</Badge>}
                </td>
                <td data-label="names">{r.names.join(", ")}</td>
                <td className="text-right tabular-nums" data-label="processes">
                  {r.processCount}
                </td>
                <td className="text-xs" data-label="other holders">
                  {Object.entries(r.holderCounts)
                    .map(([k, v]) => `${v} ${k}`)
                    .join(", ")}
                </td>
                <td className="max-w-md truncate text-xs" data-label="first process">
                  {r.firstPid !== null && (
                    <HoverLink
                      className="text-indigo-700 underline decoration-dotted underline-offset-2 dark:text-indigo-300"
                      href={`${base}/processes/${r.firstPid}`}
                    >
                      {r.firstPid}
                    </HoverLink>
                  )}{" "}
                  <span className="font-mono text-slate-600 dark:text-slate-400">{r.command}</span>
                </td>
                <td className="font-mono text-xs" data-label="owner">
                  {r.owner ?? "—"}
                </td>
                {(type === "user" || type === "pid") && (
                  <td className="font-mono text-xs" data-label="parent">
                    {r.parent ?? "—"}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export default function NamespacesPage() {
  return (
    <Suspense>
      <NamespacesView />
    </Suspense>
  );
}
