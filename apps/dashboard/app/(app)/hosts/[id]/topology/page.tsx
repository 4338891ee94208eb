"use client";
import dynamic from "next/dynamic";
import { useEffect } from "react";
import { Empty, ErrorNote, Loading } from "#client/ui.tsx";
import { useHost } from "#client/use-host.ts";
import { layoutWorker } from "#client/wiring/layout-worker.ts";

// The graph code (ELK in its worker, the drawing) loads only on this view, not with the
// first load of login and the stacks view.
const WiringView = dynamic(() => import("#client/wiring/wiring-view.tsx"), {
  ssr: false,
  loading: () => <Loading what="wiring" />,
});

export default function TopologyPage() {
  const { hostId, query, inventory } = useHost();
  // ELK loads in its worker while the drawing's code and the inventory are on their way.
  useEffect(() => {
    layoutWorker();
  }, []);
  if (query.isPending) return <Loading what="topology" />;
  if (query.error) return <ErrorNote error={query.error} />;
  if (!inventory) return <Empty>No inventory yet.</Empty>;
  if (!inventory.netstacks) return <Empty>The agent runs with --no-netstacks: there is no wiring to draw.</Empty>;
  return <WiringView inventory={inventory} base={`/hosts/${encodeURIComponent(hostId)}`} />;
}
