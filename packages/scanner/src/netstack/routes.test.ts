import { describe, expect, it } from "vitest";
import { rawRoute } from "../__fixtures__/raw-netstack.js";
import { shapeRoute } from "./routes.js";

const route = rawRoute;
const names = (i: number) => ({ 2: "eth0", 3: "eth1" })[i] ?? null;

describe("shapeRoute", () => {
  it("writes destinations like ip route: default, prefix, bare host", () => {
    expect(shapeRoute(route({ gateway: "10.0.0.254" }), names)).toEqual({
      dst: "default",
      gateway: "10.0.0.254",
      dev: "eth0",
      protocol: "static",
      scope: "global",
      metric: 0,
      table: "main",
      family: "inet",
      type: "unicast",
    });
    expect(shapeRoute(route({ dst: "10.1.0.0", dstLen: 16, protocol: 2, scope: 253 }), names)).toMatchObject({
      dst: "10.1.0.0/16",
      protocol: "kernel",
      scope: "link",
    });
    expect(shapeRoute(route({ dst: "10.1.2.3", dstLen: 32 }), names).dst).toBe("10.1.2.3");
    expect(shapeRoute(route({ family: 10, dst: "fd00::1", dstLen: 128, metric: 1024 }), names)).toMatchObject({
      dst: "fd00::1",
      family: "inet6",
      metric: 1024,
    });
  });

  it("keeps every nexthop of a multipath route, unknown numbers as numbers", () => {
    const r = shapeRoute(
      route({
        oif: 0,
        protocol: 201,
        table: 100,
        type: 6,
        hops: [
          { oif: 2, gateway: "10.0.0.1" },
          { oif: 3, gateway: "10.0.1.1" },
        ],
      }),
      names,
    );
    expect(r).toMatchObject({ gateway: "10.0.0.1", dev: "eth0", protocol: "201", table: "100", type: "blackhole" });
    expect(r.nexthops).toEqual([
      { gateway: "10.0.0.1", dev: "eth0" },
      { gateway: "10.0.1.1", dev: "eth1" },
    ]);
  });
});
