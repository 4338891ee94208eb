import type { IncomingMessage } from "node:http";
import { FleetStore } from "@nsatlas/hub";
import { describe, expect, it } from "vitest";
import type { Principal } from "../../auth.js";
import { HttpError } from "../../http-error.js";
import { minimalInventory } from "../../testing/minimal-inventory.js";
import type { ApiServices, HostRemovalEvent } from "../api-services.js";
import { hostSummary, labelFilter } from "../host-summary.js";
import { RestResponse } from "../rest-response.js";
import { removeHost } from "./hosts.js";

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

/** The removal's handler with only what it uses: the fleet and the audit hook. */
function remove(fleet: FleetStore, audit: (e: HostRemovalEvent) => void, principal: Principal, id: string) {
  const services = { fleet, auditHostRemoval: audit } as Partial<ApiServices> as ApiServices;
  const req = { socket: { remoteAddress: "127.0.0.1" } } as unknown as IncomingMessage;
  return removeHost.handle({ services, input: { id }, principal, sourceIp: "127.0.0.1", req });
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

describe("hosts.remove (DELETE /api/v1/hosts/{id})", () => {
  const admin: Principal = { name: "root", role: "admin" };
  const operator: Principal = { name: "op", role: "operator" };

  it("is for admins only, and audits the request before removing", async () => {
    const { fleet } = fleetWithHost("h1", {});
    const events: Array<Pick<HostRemovalEvent, "result" | "hostId">> = [];
    const audit = (e: HostRemovalEvent) => {
      events.push({ result: e.result, hostId: e.hostId });
      if (e.result === "requested") expect(fleet.host("h1")).toBeDefined();
    };
    await expect(remove(fleet, audit, operator, "h1")).rejects.toMatchObject({ status: 403 });
    expect(fleet.host("h1")).toBeDefined();
    await expect(remove(fleet, audit, admin, "nope")).rejects.toMatchObject({ status: 404 });
    const res = await remove(fleet, audit, admin, "h1");
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
    const audit = () => {
      throw new Error("disk full");
    };
    await expect(remove(fleet, audit, admin, "h1")).rejects.toThrow("disk full");
    expect(fleet.host("h1")).toBeDefined();
  });
});
