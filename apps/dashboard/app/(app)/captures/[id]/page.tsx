"use client";
import { useParams } from "next/navigation";
import { CaptureView } from "../../../../src/client/capture/capture-view";

export default function CapturePage() {
  const { id } = useParams<{ id: string }>();
  return <CaptureView id={decodeURIComponent(id)} />;
}
