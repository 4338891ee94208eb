"use client";
import { useParams } from "next/navigation";
import { CaptureView } from "#client/capture/capture-view.tsx";

export default function CapturePage() {
  const { id } = useParams<{ id: string }>();
  return <CaptureView id={decodeURIComponent(id)} />;
}
