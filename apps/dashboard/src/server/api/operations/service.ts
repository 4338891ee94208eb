import { z } from "zod";
import { unavailable } from "../../http-error.js";
import { defineOperation } from "../operation.js";
import { RestResponse } from "../rest-response.js";

export const health = defineOperation({
  id: "service.health",
  summary: "Liveness",
  description: "Answers while the server serves (no credential needed).",
  access: "public",
  mutates: false,
  trpc: false,
  input: z.void(),
  output: z.object({ ok: z.literal(true) }),
  handle: () => ({ ok: true as const }),
  rest: { method: "GET", path: "/healthz", answers: "alive", input: () => undefined },
});

export const metrics = defineOperation({
  id: "service.metrics",
  summary: "Prometheus metrics",
  description:
    "Prometheus metrics (text format) for any person's or script's token (an auditor token suits a scraper); agent tokens are refused.",
  access: "user",
  mutates: false,
  trpc: false,
  input: z.void(),
  output: z.string(),
  // Agent tokens are refused by `admit` (403 AGENT_TOKEN), as on every authenticated route.
  async handle({ services }) {
    return new RestResponse(200, { "content-type": services.metrics.contentType }, await services.metrics.render());
  },
  rest: {
    method: "GET",
    path: "/metrics",
    answers: "metrics",
    media: { json: false, other: ["text/plain"] },
    input: () => undefined,
  },
});

export const openApi = defineOperation({
  id: "service.openapi",
  summary: "This document",
  description: "The OpenAPI 3.1 document of this server's REST API, generated from its operations.",
  access: "user",
  mutates: false,
  trpc: false,
  input: z.void(),
  output: z.record(z.string(), z.unknown()),
  handle: ({ services }) => services.openApi,
  rest: { method: "GET", path: "/api/v1/openapi.json", answers: "the document", input: () => undefined },
});

export const readiness = defineOperation({
  id: "service.readiness",
  summary: "Readiness",
  description:
    'For a load balancer: 200 while this replica takes agents and users; 503 while it drains or (with NSATLAS_NATS_URL) while it is cut off from NATS, where the agents it took would be invisible to the other replicas. /healthz stays "the process is alive".',
  access: "public",
  mutates: false,
  trpc: false,
  input: z.void(),
  output: z.object({ ready: z.literal(true), replica: z.string().optional() }),
  handle: ({ services }) => {
    const { draining, replica } = services.readiness();
    if (draining) throw unavailable("the server is shutting down");
    if (replica && !replica.connected) throw unavailable("not connected to NATS");
    return { ready: true as const, ...(replica ? { replica: replica.id } : {}) };
  },
  rest: {
    method: "GET",
    path: "/readyz",
    answers: "ready",
    errors: { 503: "draining, or cut off from NATS" },
    input: () => undefined,
  },
});

export const serviceOperations = [health, readiness, metrics, openApi];
