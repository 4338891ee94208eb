"use client";
import { NAMESPACE_TYPES } from "@nsatlas/protocol/ids";
import Link from "next/link";
import { Card, Empty, ErrorNote, Loading } from "#client/ui.tsx";
import { useHost } from "#client/use-host.ts";
import { findingLines } from "#lib/finding-lines.ts";
import { stackTitles } from "#lib/stack-names.ts";

export default function HostOverview() {
  const { hostId, query, inventory, summary } = useHost();
  if (query.isPending) return <Loading what="host" />;
  if (query.error) return <ErrorNote error={query.error} />;
  if (!inventory || !summary) return <Empty>This host has not sent its first inventory yet.</Empty>;
  const base = `/hosts/${encodeURIComponent(hostId)}`;
  const findings = inventory.findings ?? [];
  const titles = stackTitles(inventory);
  // One line per finding, each naming its stack; one duplicate address is one line (and one count).
  const lines = findingLines(findings, titles);
  const count = (code: string) => lines.filter((f) => f.code === code).length;
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-8">
        {NAMESPACE_TYPES.map((t) => (
          <Link key={t} href={`${base}/namespaces?type=${t}`}>
            <Card className="hover:border-indigo-400">
              <div className="text-2xl font-semibold">{inventory.namespaces.filter((n) => n.type === t).length}</div>
              <div className="text-xs uppercase text-slate-600 dark:text-slate-400">{t}</div>
            </Card>
          </Link>
        ))}
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Card>
          <div className="text-2xl font-semibold">{summary.counts.stacks}</div>
          <Link className="text-sm text-indigo-700 hover:underline dark:text-indigo-300" href={`${base}/stacks`}>
            network stacks
          </Link>
        </Card>
        <Card>
          <div className="text-2xl font-semibold">{inventory.processes.length}</div>
          <Link className="text-sm text-indigo-700 hover:underline dark:text-indigo-300" href={`${base}/processes`}>
            processes
          </Link>
        </Card>
        <Card>
          <div className="text-2xl font-semibold">{count("leaked-stack")}</div>
          <div className="text-sm">leaked stacks</div>
        </Card>
        <Card>
          <div className="text-2xl font-semibold">{count("duplicate-address")}</div>
          <div className="text-sm">duplicate addresses</div>
        </Card>
      </div>
      <Card>
        <h2 className="mb-2 font-semibold">Findings</h2>
        {lines.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing to report.</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="findings">
            {lines.map((f) => (
              <li key={`${f.code}${f.text}`} className="break-words">
                <span className="font-mono text-xs text-amber-800 dark:text-amber-300">{f.code}</span>{" "}
                {f.stacks[0] ? (
                  <a
                    className="text-indigo-700 underline decoration-dotted underline-offset-2 dark:text-indigo-300"
                    href={`${base}/stacks#${f.stacks[0]}`}
                  >
                    {f.text}
                  </a>
                ) : (
                  f.text
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">Agent</h2>
        <dl className="grid grid-cols-2 gap-1 text-sm sm:grid-cols-4">
          <dt className="text-slate-600 dark:text-slate-400">state</dt>
          <dd>{summary.state}</dd>
          <dt className="text-slate-600 dark:text-slate-400">version</dt>
          <dd>{summary.agentVersion}</dd>
          <dt className="text-slate-600 dark:text-slate-400">initial namespaces from</dt>
          <dd>{inventory.host.initialFrom}</dd>
          <dt className="text-slate-600 dark:text-slate-400">privileged</dt>
          <dd>{inventory.host.privileged ? "yes" : "no"}</dd>
          <dt className="text-slate-600 dark:text-slate-400">last scan</dt>
          <dd>{new Date(inventory.host.scannedAt).toLocaleString()}</dd>
          <dt className="text-slate-600 dark:text-slate-400">credential</dt>
          <dd>{summary.credential}</dd>
        </dl>
        {inventory.warnings.length > 0 && (
          <details className="mt-2 text-xs text-slate-600 dark:text-slate-400">
            <summary className="cursor-pointer">{inventory.warnings.length} scan warnings</summary>
            <ul className="mt-1 list-disc pl-5">
              {inventory.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </details>
        )}
      </Card>
    </div>
  );
}
