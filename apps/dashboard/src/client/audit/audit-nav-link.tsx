"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";

/** The header's link to the audit log (admins and auditors), and a "read-only" mark with the
 * reason when the user may change nothing (an auditor, or NSATLAS_READ_ONLY). */
export function AuditNavLink() {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions(undefined, { retry: false }));
  const policy = useQuery(trpc.actions.policy.queryOptions({ hostId: null }, { staleTime: 60_000 }));
  const role = me.data?.role;
  return (
    <>
      {policy.data && !policy.data.mayAct && (
        <span
          className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-300"
          title={policy.data.reason ?? undefined}
          data-testid="read-only-mark"
        >
          read-only
        </span>
      )}
      {(role === "admin" || role === "auditor") && (
        <Link href="/audit" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
          Audit
        </Link>
      )}
    </>
  );
}
