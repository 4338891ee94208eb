import type { IncomingMessage } from "node:http";
import { FleetStore } from "@nsatlas/hub";
import { describe, expect, it } from "vitest";
import type { Principal } from "../auth.js";
import { minimalInventory } from "../testing/minimal-inventory.js";
import { type HostRemovalEvent, hostRoutes, hostSummary, labelFilter } from "./host-routes.js";
import { HttpError } from "./http-error.js";
import { RestResponse, type Route } from "./router.js";

function fleetWithHost(id: string, labels: Record<string, string>, now: () => number = Date.now) {
  const fleet = new FleetStore({ now });
  const session = fleet.openSession({ kind: "agent-token", agentId: id });
  fleet.receive(session, {
    type: "hello",
    protocol: 1,
    agentId: id,
    hostname: `${id}.example`,
    bootId: "b",
    version: "0.1.0",
    readOnly: false,
    capabilities: [],
    labels,
  });
  return { fleet, session };
}

function call(route: Route | undefined, principal: Principal | null, params: Record<string, string> = {}) {
  if (!route) throw new Error("no such route");
  const req = { socket: { remoteAddress: "127.0.0.1" } } as unknown as IncomingMessage;
  return route.handle({ req, params, query: new URLSearchParams(), principal });
}

describe("labelFilter", () => {
  it("matches k=v and k, all of them", () => {
    const labels = { role: "web", zone: "eu=1" };
    expect(labelFilter([])(labels)).toBe(true);
    expect(labelFilter(["role=web"])(labels)).toBe(true);
    expect(labelFilter(["role=db"])(labels)).toBe(false);
    expect(labelFilter(["zone=eu=1", "role"])(labels)).toBe(true);
    expect(labelFilter(["rack"])(labels)).toBe(false);
    expect(labelFilter(["toString"])(labels)).toBe(false);
    expect(() => labelFilter(["=web"])).toThrow(HttpError);
  });
});

describe("hostSummary", () => {
  it("reports lag from the agent's scan to the hub applying it", () => {
    let now = Date.parse("2026-01-01T00:00:10.000Z");
    const { fleet, session } = fleetWithHost("h1", {}, () => now);
    const h = fleet.host("h1");
    if (!h) throw new Error("no host");
    expect(hostSummary(fleet, h).lagMs).toBeNull();
    const inventory = minimalInventory();
    inventory.host.scannedAt = "2026-01-01T00:00:09.750Z";
    fleet.receive(session, { type: "snapshot", epoch: "e", seq: 1, inventory });
    now += 5_000;
    const s = hostSummary(fleet, h);
    expect(s.lagMs).toBe(250);
    expect(s.counts).toEqual({ namespaces: 1, processes: 1, stacks: 1, findings: 0 });
    expect(s.kernel).toBe("6.1.0");
  });
});

describe("DELETE /api/v1/hosts/{id}", () => {
  const admin: Principal = { name: "root", role: "admin" };
  const operator: Principal = { name: "op", role: "operator" };
  const del = (routes: Route[]) => routes.find((r) => r.method === "DELETE" && r.path === "/api/v1/hosts/{id}");

  it("is for admins only, and audits the request before removing", async () => {
    const { fleet } = fleetWithHost("h1", {});
    const events: Array<Pick<HostRemovalEvent, "result" | "hostId">> = [];
    const routes = hostRoutes(fleet, {
      auditHostRemoval: (e) => {
        events.push({ result: e.result, hostId: e.hostId });
        if (e.result === "requested") expect(fleet.host("h1")).toBeDefined();
      },
    });
    await expect(call(del(routes), operator, { id: "h1" })).rejects.toMatchObject({ status: 403 });
    expect(fleet.host("h1")).toBeDefined();
    await expect(call(del(routes), admin, { id: "nope" })).rejects.toMatchObject({ status: 404 });
    const res = await call(del(routes), admin, { id: "h1" });
    expect(res).toBeInstanceOf(RestResponse);
    expect((res as RestResponse).status).toBe(204);
    expect(fleet.host("h1")).toBeUndefined();
    expect(events).toEqual([
      { result: "denied", hostId: "h1" },
      { result: "not-found", hostId: "nope" },
      { result: "requested", hostId: "h1" },
      { result: "succeeded", hostId: "h1" },
    ]);
  });

  it("removes nothing when the audit log cannot record the request", async () => {
    const { fleet } = fleetWithHost("h1", {});
    const routes = hostRoutes(fleet, {
      auditHostRemoval: () => {
        throw new Error("disk full");
      },
    });
    await expect(call(del(routes), admin, { id: "h1" })).rejects.toThrow("disk full");
    expect(fleet.host("h1")).toBeDefined();
  });
});
