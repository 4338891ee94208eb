"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useTRPC } from "../../src/client/trpc";
import { Badge, Empty, ErrorNote, Loading, relativeTime } from "../../src/client/ui";

export default function HostsPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const hosts = useQuery(trpc.hosts.list.queryOptions());
  // One host (the embedded default): go straight to its stacks.
  useEffect(() => {
    if (hosts.data?.length === 1 && hosts.data[0])
      router.replace(`/hosts/${encodeURIComponent(hosts.data[0].id)}/stacks`);
  }, [hosts.data, router]);
  if (hosts.isPending) return <Loading what="hosts" />;
  if (hosts.error) return <ErrorNote error={hosts.error} />;
  if (hosts.data.length === 0)
    return <Empty>No agent has connected yet. Start one with nsatlas-agent run --hub ws://…/agent.</Empty>;
  return (
    <div>
      <h1 className="mb-4 text-xl font-semibold">Hosts</h1>
      <table className="w-full text-left text-sm [&_td]:px-2 [&_th]:px-2">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2">Host</th>
            <th>State</th>
            <th>Last seen</th>
            <th>Stacks</th>
            <th>Namespaces</th>
            <th>Processes</th>
            <th>Agent</th>
          </tr>
        </thead>
        <tbody>
          {hosts.data.map((h) => (
            <tr key={h.id} className="border-t border-slate-200 dark:border-slate-800">
              <td className="py-2">
                <Link
                  className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                  href={`/hosts/${encodeURIComponent(h.id)}/stacks`}
                >
                  {h.hostname || h.id}
                </Link>
                <div className="font-mono text-xs text-slate-500">{h.id}</div>
              </td>
              <td>
                <Badge tone={h.state === "connected" ? "emerald" : "amber"}>{h.state}</Badge>
                {h.readOnly && <Badge>read-only</Badge>}
              </td>
              <td>{relativeTime(h.lastSeen)}</td>
              <td>{h.counts.stacks}</td>
              <td>{h.counts.namespaces}</td>
              <td>{h.counts.processes}</td>
              <td className="text-xs text-slate-500">{h.agentVersion}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
