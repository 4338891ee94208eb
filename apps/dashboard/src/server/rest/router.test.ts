import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { mutationDenial } from "@nsatlas/hub";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ApiServices } from "../api/api-services.js";
import { openApiDocument } from "../api/openapi-document.js";
import { type AnyOperation, defineOperation } from "../api/operation.js";
import { RestResponse } from "../api/rest-response.js";
import type { Principal } from "../auth.js";
import { answerError } from "../edge.js";
import type { MutationGuard } from "../mutation-guard.js";
import { createRestRouter } from "./router.js";

const denied: string[] = [];
/** The guard's decision as the mutation guard makes it, its audit rows kept here. */
const guard: MutationGuard = {
  readOnly: false,
  deny(principal, what) {
    const denial = mutationDenial(principal.role, false);
    if (denial) denied.push(what);
    return denial;
  },
};
const services = { guarded: { guard } } as Partial<ApiServices> as ApiServices;

/** A binary stream, as a capture download would be: its own media type, no JSON. */
const download = defineOperation({
  id: "test.download",
  summary: "Download bytes",
  access: "user",
  mutates: false,
  trpc: false,
  input: z.object({ n: z.number() }),
  output: z.string(),
  handle: ({ input }) =>
    new RestResponse(
      200,
      { "content-type": "application/vnd.tcpdump.pcap" },
      Readable.from([Buffer.alloc(input.n, 7)]),
    ),
  rest: {
    method: "GET",
    path: "/api/v1/things/{n}/bytes",
    answers: "the bytes",
    media: { json: false, other: ["application/vnd.tcpdump.pcap"] },
    input: ({ params }) => ({ n: Number(params.n) }),
  },
});

let bodyRead = false;
const change = defineOperation({
  id: "test.change",
  summary: "Change a thing",
  access: "user",
  mutates: true,
  trpc: false,
  input: z.object({}),
  output: z.object({ done: z.boolean() }),
  handle: () => ({ done: true }),
  rest: {
    method: "POST",
    path: "/api/v1/things",
    answers: "done",
    input: () => {
      bodyRead = true;
      return {};
    },
  },
});

async function serve(ops: readonly AnyOperation[], principal: Principal) {
  const router = createRestRouter(ops, services, async () => principal);
  const server = createServer((req, res) => {
    router
      .handle(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end();
      })
      .catch((err: unknown) => answerError(res, err, { info() {}, warn() {}, error() {} }, "test"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("the REST router of the operations", () => {
  it("streams an operation's binary answer with its media type, as the document states", async () => {
    const s = await serve([download], { name: "op", role: "operator" });
    try {
      const r = await fetch(`${s.base}/api/v1/things/5/bytes`);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/vnd.tcpdump.pcap");
      expect([...new Uint8Array(await r.arrayBuffer())]).toEqual([7, 7, 7, 7, 7]);
      expect((await fetch(`${s.base}/api/v1/things/5/bytes`, { method: "DELETE" })).status).toBe(405);
    } finally {
      await s.close();
    }
    const doc = openApiDocument([download], { actionTimeoutMs: 1000 }) as {
      paths: Record<string, { get: { responses: { "200": { content: Record<string, unknown> } } } }>;
    };
    expect(Object.keys(doc.paths["/api/v1/things/{n}/bytes"]?.get.responses["200"].content ?? {})).toEqual([
      "application/vnd.tcpdump.pcap",
    ]);
  });

  it("refuses an auditor's mutation at the gate (403, through the mutation guard) before reading its input", async () => {
    const s = await serve([change], { name: "aud", role: "auditor" });
    try {
      const r = await fetch(`${s.base}/api/v1/things`, { method: "POST", body: "{}" });
      expect(r.status).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("ROLE_READ_ONLY");
      expect(bodyRead).toBe(false);
      expect(denied).toEqual(["POST /api/v1/things"]);
    } finally {
      await s.close();
    }
  });
});
