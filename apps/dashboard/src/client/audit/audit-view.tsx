"use client";
import type { AuditEvent } from "@nsatlas/protocol";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { useTRPC } from "../trpc";
import { Badge, Empty, ErrorNote, Loading } from "../ui";
import { downloadFromApi } from "./download";

/** A row as tRPC delivers it (a key of type unknown may be absent after JSON). */
type AuditRow = Omit<AuditEvent, "params"> & { params?: unknown };

const TONES: Record<string, "emerald" | "red" | "amber" | "slate" | "indigo"> = {
  succeeded: "emerald",
  ok: "emerald",
  failed: "red",
  denied: "red",
  invalid: "amber",
  rejected: "amber",
  refused: "amber",
  timeout: "amber",
  requested: "indigo",
  planned: "slate",
};

function ChainStatus() {
  const trpc = useTRPC();
  const v = useQuery(trpc.audit.verify.queryOptions(undefined, { refetchInterval: 15_000 }));
  if (!v.data) return null;
  return v.data.ok ? (
    <span className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="chain-status">
      ✓ hash chain intact: {v.data.rows} rows{v.data.head ? `, head seq ${v.data.head.seq}` : ""}
    </span>
  ) : (
    <span className="text-sm font-semibold text-red-700 dark:text-red-400" data-testid="chain-status">
      ✗ chain broken at seq {v.data.brokenAt}: {v.data.reason}
    </span>
  );
}

/** Agent id -> hostname, so rows name hosts as people do (the id stays in the detail). */
type HostNames = ReadonlyMap<string, string>;

function target(e: AuditRow, hosts: HostNames): string {
  const host = e.target.host ? (hosts.get(e.target.host) ?? e.target.host) : null;
  return [host, e.target.namespace, e.target.name].filter(Boolean).join(" · ");
}

const actorName = (e: AuditRow, hosts: HostNames) => (e.role === "agent" ? (hosts.get(e.actor) ?? e.actor) : e.actor);

function Row({ e, hosts }: { e: AuditRow; hosts: HostNames }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr
        className="cursor-pointer border-t border-slate-200 align-top dark:border-slate-800"
        onClick={() => setOpen(!open)}
        data-testid="audit-row"
      >
        <td className="py-1 font-mono text-xs" data-label="seq">
          {e.seq}
        </td>
        <td className="whitespace-nowrap text-xs" data-label="time">
          {new Date(e.ts).toLocaleString()}
        </td>
        <td className="break-all" data-label="actor">
          {actorName(e, hosts)}{" "}
          {e.role && <span className="text-xs text-slate-600 dark:text-slate-400">({e.role})</span>}
        </td>
        <td className="font-mono text-xs" data-label="action">
          {e.action}
        </td>
        <td className="text-xs break-all" data-label="target">
          {target(e, hosts)}
        </td>
        <td data-label="result">
          <Badge tone={TONES[e.result] ?? "slate"}>{e.result}</Badge>
        </td>
        <td className="text-xs text-red-700 dark:text-red-400">{e.error}</td>
      </tr>
      {open && (
        <tr>
          <td colSpan={7} className="pb-2">
            <pre className="overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
              {JSON.stringify(
                {
                  actor: e.actor,
                  host: e.target.host,
                  sourceIp: e.sourceIp,
                  requestId: e.requestId,
                  params: e.params,
                  planHash: e.planHash,
                  prevHash: e.prevHash,
                  hash: e.hash,
                },
                null,
                2,
              )}
            </pre>
          </td>
        </tr>
      )}
    </>
  );
}

/** The audit log (admins and auditors): newest first, filterable, exportable, with the chain's verdict. */
export function AuditView() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const filter = params.get("filter") ?? "";
  const [exportError, setExportError] = useState<string | null>(null);
  const q = useQuery(trpc.audit.latest.queryOptions({ limit: 500 }, { refetchInterval: 5_000 }));
  const hostList = useQuery(trpc.hosts.list.queryOptions(undefined, { select: (d) => d.hosts }));
  const hosts = useMemo<HostNames>(
    () => new Map((hostList.data ?? []).filter((h) => h.hostname).map((h) => [h.id, h.hostname])),
    [hostList.data],
  );
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return (q.data ?? []).filter((e) => {
      const text =
        `${e.actor} ${actorName(e, hosts)} ${e.role ?? ""} ${e.action} ${e.target.host ?? ""} ${target(e, hosts)} ${e.result} ${e.error ?? ""}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }, [q.data, filter, hosts]);
  const save = (format: "json" | "csv") =>
    downloadFromApi(`/api/v1/audit/export?format=${format}`, `nsatlas-audit.${format}`).catch((err: Error) =>
      setExportError(err.message),
    );
  if (q.isPending) return <Loading what="the audit log" />;
  if (q.error) {
    return q.error.data?.code === "FORBIDDEN" ? (
      <Empty>The audit log is for admins and auditors.</Empty>
    ) : (
      <ErrorNote error={q.error} />
    );
  }
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Audit log</h1>
        <ChainStatus />
        <input
          value={filter}
          onChange={(e) =>
            router.replace(`${path}${e.target.value ? `?filter=${encodeURIComponent(e.target.value)}` : ""}`)
          }
          placeholder="Filter: actor, action, host, result…"
          aria-label="Filter audit rows"
          className="w-full rounded-md sm:ml-auto sm:w-72 border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        {(["json", "csv"] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700"
            onClick={() => void save(format)}
          >
            Export {format.toUpperCase()}
          </button>
        ))}
      </div>
      {exportError && <ErrorNote error={{ message: exportError }} />}
      <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">
        Append-only and hash-chained (HMAC-SHA-256, key outside the database). Showing the newest {q.data.length} rows;
        the export has all. Verify offline with <span className="font-mono">nsatlas audit verify --anchor FILE</span>.
      </p>
      {shown.length === 0 ? (
        <Empty>No audit row matches “{filter}”.</Empty>
      ) : (
        <table className="cards-on-phone w-full text-left text-sm [&_td]:px-2 [&_th]:px-2">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr>
              <th className="py-2">Seq</th>
              <th>Time</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Target</th>
              <th>Result</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <Row key={e.seq} e={e} hosts={hosts} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
