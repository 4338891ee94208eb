"use client";
import { useParams } from "next/navigation";
import { Suspense } from "react";
import { HistoryView } from "../../../../../src/client/audit/history-view";

export default function HistoryPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <Suspense>
      <HistoryView hostId={decodeURIComponent(id)} />
    </Suspense>
  );
}
