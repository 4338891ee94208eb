"use client";
import { Suspense } from "react";
import { AuditView } from "#client/audit/audit-view.tsx";

export default function AuditPage() {
  return (
    <Suspense>
      <AuditView />
    </Suspense>
  );
}
