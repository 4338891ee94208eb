"use client";
import { Suspense } from "react";
import { AuditView } from "../../../src/client/audit/audit-view";

export default function AuditPage() {
  return (
    <Suspense>
      <AuditView />
    </Suspense>
  );
}
