import { describe, expect, it } from "vitest";
import { fitTransform, sidesOf, zoomAt } from "./wiring-geometry";
import { GAP, placeBlock } from "./wiring-placement";

describe("placing new boxes", () => {
  it("moves no box already placed and puts the new block under everything, beside its neighbour", () => {
    const known = new Map([
      ["a", { x: 0, y: 0 }],
      ["b", { x: 400, y: 100 }],
    ]);
    const drawn = [
      { id: "a", width: 250, height: 100 },
      { id: "b", width: 250, height: 300 },
    ];
    const out = placeBlock(known, drawn, { n1: { x: 12, y: 12 }, n2: { x: 12, y: 200 } }, (id) =>
      id === "n1" ? "b" : undefined,
    );
    expect(out.get("n1")).toEqual({ x: 400, y: 400 + GAP });
    expect(out.get("n2")).toEqual({ x: 400, y: 400 + GAP + 188 });
    expect(out.has("a") || out.has("b")).toBe(false);
  });

  it("takes the first layout as it is", () => {
    expect(placeBlock(new Map(), [], { a: { x: 12, y: 12 } }, () => undefined).get("a")).toEqual({ x: 0, y: 0 });
  });
});

describe("view transforms", () => {
  it("zoom keeps the point under the cursor where it is", () => {
    const v = { x: 30, y: -20, k: 0.8 };
    const at = { x: 500, y: 300 };
    const z = zoomAt(v, at, 1.7);
    const world = { x: (at.x - v.x) / v.k, y: (at.y - v.y) / v.k };
    expect(world.x * z.k + z.x).toBeCloseTo(at.x);
    expect(world.y * z.k + z.y).toBeCloseTo(at.y);
  });

  it("fit puts the whole drawing inside the viewport", () => {
    const f = fitTransform({ x: -100, y: 50, width: 2000, height: 1000 }, { width: 1000, height: 600 });
    expect(-100 * f.k + f.x).toBeGreaterThanOrEqual(0);
    expect(1900 * f.k + f.x).toBeLessThanOrEqual(1000);
    expect(1050 * f.k + f.y).toBeLessThanOrEqual(600);
  });
});

describe("wire ends", () => {
  const box = (x: number, y: number) => ({ x, y, width: 250, height: 100 });
  it("leave facing sides side by side, and the left sides when one box is above the other", () => {
    expect(sidesOf(box(0, 0), box(400, 0))).toEqual(["right", "left"]);
    expect(sidesOf(box(400, 0), box(0, 300))).toEqual(["left", "right"]);
    expect(sidesOf(box(0, 0), box(60, 300))).toEqual(["left", "left"]);
  });
});
