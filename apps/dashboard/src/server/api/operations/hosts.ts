import { HostSummary, HostsResponse, Inventory, InventoryAt } from "@nsatlas/protocol";
import { z } from "zod";
import { HttpError, notFound, unauthorized } from "../../http-error.js";
import { hostSummary, knownHost, labelFilter } from "../host-summary.js";
import { defineOperation } from "../operation.js";
import { timeParam } from "../query-params.js";
import { RestResponse } from "../rest-response.js";

const HostId = z.string().min(1).max(128);
const hostPath = "/api/v1/hosts/{id}";

export const listHosts = defineOperation({
  id: "hosts.list",
  summary: "List hosts",
  description: "Every host the hub has heard of, stale ones too until removed; `label` filters them.",
  access: "user",
  mutates: false,
  trpc: true,
  input: z.object({ label: z.array(z.string()).default([]) }).default({ label: [] }),
  output: HostsResponse,
  handle: ({ services: { fleet }, input }) => {
    const matches = labelFilter(input.label);
    return { hosts: fleet.hosts().flatMap((h) => (matches(h.labels) ? [hostSummary(fleet, h)] : [])) };
  },
  rest: {
    method: "GET",
    path: "/api/v1/hosts",
    answers: "every known host (stale ones too, until removed)",
    query: {
      label: {
        description: "k=v (label k has value v) or k (label k is set); repeatable, all must hold",
        schema: z.string(),
        repeated: true,
      },
    },
    errors: { 400: "bad label filter" },
    input: ({ query }) => ({ label: query.getAll("label") }),
  },
});

/** The host view of the UI: its summary and its current inventory (null before a snapshot). */
export const hostView = defineOperation({
  id: "hosts.inventory",
  summary: "A host's summary and inventory",
  access: "user",
  mutates: false,
  trpc: true,
  input: z.object({ id: HostId }),
  // epoch and seq: where the tab's live subscription resumes from (live.events lastEventId).
  output: z.object({ summary: HostSummary, inventory: Inventory.nullable(), epoch: z.string(), seq: z.number().int() }),
  handle: ({ services: { fleet }, input }) => {
    const host = fleet.host(input.id);
    if (!host) throw notFound(`host ${JSON.stringify(input.id)}`);
    return { summary: hostSummary(fleet, host), inventory: host.inventory, epoch: host.epoch, seq: host.seq };
  },
});

export const getInventory = defineOperation({
  id: "hosts.getInventory",
  summary: "Get a host's inventory",
  description: "The host's current inventory, or with `at` the host as the history saw it then.",
  access: "user",
  mutates: false,
  trpc: false,
  input: z.object({ id: z.string(), at: z.number().nullable() }),
  output: z.union([Inventory, InventoryAt]),
  handle: async ({ services: { fleet, guarded }, input }) => {
    if (input.at !== null)
      return guarded.history.inventoryAt(await knownHost(fleet, guarded.history, input.id), input.at);
    const host = fleet.host(input.id);
    if (!host) throw notFound(`host ${JSON.stringify(input.id)}`);
    if (!host.inventory) throw notFound(`inventory of host ${JSON.stringify(input.id)} (no snapshot yet)`);
    return host.inventory;
  },
  rest: {
    method: "GET",
    path: `${hostPath}/inventory`,
    answers: "the host's current inventory (nsatlas.inventory/v1), or with `at` nsatlas.inventory-at/v1",
    query: {
      at: {
        description: "ISO-8601 or epoch ms: answer nsatlas.inventory-at/v1 from the history instead",
        schema: z.string(),
      },
    },
    errors: { 400: "bad `at`", 404: "no such host, or no snapshot yet" },
    input: async ({ params, query, services }) => {
      const id = params.id ?? "";
      if (!query.has("at")) return { id, at: null };
      // As of T: a host the history knows, then T (404 before 400, as ever).
      await knownHost(services.fleet, services.guarded.history, id);
      return { id, at: timeParam(query, "at", Date.now()) };
    },
  },
});

export const removeHost = defineOperation({
  id: "hosts.remove",
  summary: "Remove a host",
  description:
    "Forgets a host and its last inventory (admin only, audited). A connected agent is disconnected and reappears when it reconnects.",
  access: "user",
  mutates: true,
  trpc: false,
  input: z.object({ id: z.string() }),
  output: z.undefined(),
  handle: async ({ services: { fleet, auditHostRemoval }, input, principal, sourceIp }) => {
    if (!principal) throw unauthorized();
    const event = { actor: principal, sourceIp, hostId: input.id };
    if (principal.role !== "admin") {
      await auditHostRemoval({ ...event, result: "denied" });
      throw new HttpError(403, "FORBIDDEN", "only an admin may remove a host");
    }
    if (!fleet.host(event.hostId)) {
      await auditHostRemoval({ ...event, result: "not-found" });
      throw notFound(`host ${JSON.stringify(event.hostId)}`);
    }
    await auditHostRemoval({ ...event, result: "requested" });
    // An agent still connected is disconnected (close 4410) and shows up again when it reconnects.
    fleet.remove(event.hostId);
    await auditHostRemoval({ ...event, result: "succeeded" });
    return new RestResponse(204);
  },
  rest: {
    method: "DELETE",
    path: hostPath,
    success: 204,
    answers: "removed",
    errors: { 403: "not an admin, or the mutation guard refused", 404: "no such host" },
    input: ({ params }) => ({ id: params.id ?? "" }),
  },
});

export const hostOperations = [listHosts, hostView, getInventory, removeHost];
