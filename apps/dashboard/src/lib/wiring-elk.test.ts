import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import { smallInventory } from "./__fixtures__/small-inventory";
import { elkGraph, elkPositions } from "./wiring-elk";
import { buildWiring } from "./wiring-model";
import { layoutRequest } from "./wiring-placement";
import { buildScene } from "./wiring-scene";

const scene = buildScene(buildWiring(smallInventory()), {
  groupBy: "none",
  collapsed: new Set(),
  focus: null,
  showLonely: true,
});

describe("layout by ELK", () => {
  const req = layoutRequest(scene, new Set(scene.boxes.map((b) => b.id)), 1);

  it("asks port to port, from the initial stack outwards", () => {
    expect(req.edges).toEqual([
      {
        id: "net:100#5=net:200#2",
        source: "net:100",
        target: "net:200",
        sourcePort: "net:100#5",
        targetPort: "net:200#2",
      },
    ]);
    expect(req.nodes.find((n) => n.id === "net:100")?.ports.map((p) => p.id)).toEqual(["net:100#5"]);
  });

  it("places every box without overlaps, the initial stack left of the stack it is wired to", async () => {
    const at = elkPositions(req, await new ELK().layout(elkGraph(req)));
    expect(Object.keys(at).sort()).toEqual(scene.boxes.map((b) => b.id).sort());
    const host = at["net:100"];
    const blue = at["net:200"];
    expect(host && blue && host.x < blue.x).toBe(true);
    const rects = scene.boxes.map((b) => ({ ...(at[b.id] ?? { x: 0, y: 0 }), w: b.width, h: b.height }));
    for (const [i, a] of rects.entries())
      for (const b of rects.slice(i + 1))
        expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
  });
});
