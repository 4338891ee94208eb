"use client";
import { useParams } from "next/navigation";
import { Suspense } from "react";
import { HistoryView } from "#client/audit/history-view.tsx";

export default function HistoryPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <Suspense>
      <HistoryView hostId={decodeURIComponent(id)} />
    </Suspense>
  );
}
