"use client";
import { useMemo, useState } from "react";
import { TopologyView } from "../../../../../src/client/topology-view";
import { Empty, ErrorNote, Loading } from "../../../../../src/client/ui";
import { useHost } from "../../../../../src/client/use-host";
import { buildTopology } from "../../../../../src/lib/topology-graph";
import { layoutTopology } from "../../../../../src/lib/topology-layout";

export default function TopologyPage() {
  const { hostId, query, inventory } = useHost();
  const [showLonely, setShowLonely] = useState(false);
  const layout = useMemo(() => {
    if (!inventory) return null;
    const g = buildTopology(inventory);
    // Stacks with no wire at all (only a loopback) clutter the picture; show them on request.
    const wired = new Set(g.edges.flatMap((e) => [e.from, e.to]));
    const nodes = showLonely ? g.nodes : g.nodes.filter((n) => n.initial || wired.has(n.id));
    return layoutTopology({ nodes, edges: g.edges });
  }, [inventory, showLonely]);
  if (query.isPending) return <Loading what="topology" />;
  if (query.error) return <ErrorNote error={query.error} />;
  if (!inventory || !layout) return <Empty>No inventory yet.</Empty>;
  if (!inventory.netstacks) return <Empty>The agent runs with --no-netstacks: there is no wiring to draw.</Empty>;
  return (
    <div>
      <label className="mb-2 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={showLonely} onChange={(e) => setShowLonely(e.target.checked)} />
        show stacks without wires ({inventory.netstacks.length} stacks in all)
      </label>
      <TopologyView layout={layout} base={`/hosts/${encodeURIComponent(hostId)}`} />
    </div>
  );
}
