import { describe, expect, it } from "vitest";
import { restTable } from "../rest/router.js";
import { appRouter } from "../trpc/root.js";
import { openApiDocument } from "./openapi-document.js";
import { operations } from "./registry.js";

type Doc = {
  paths: Record<string, Record<string, { operationId: string; summary?: string; responses: Record<string, unknown> }>>;
};
const document = (actionTimeoutMs = 30_000) => openApiDocument(operations, { actionTimeoutMs }) as unknown as Doc;
const METHODS = ["get", "post", "put", "patch", "delete"];

/** "METHOD path operationId" of every operation of the document. */
function documented(doc: Doc): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
  );
}

describe("the API registry", () => {
  it("the router's table and the OpenAPI document list the same operations", () => {
    const routed = restTable(operations).map((r) => `${r.binding.method} ${r.binding.path} ${r.op.id}`);
    expect(documented(document()).sort()).toEqual(routed.sort());
    expect(routed).toEqual(
      expect.arrayContaining(["POST /api/v1/session session.login", "DELETE /api/v1/session session.logout"]),
    );
  });

  it("routes no method and path twice, and names every operation once", () => {
    const table = restTable(operations).map((r) => `${r.binding.method} ${r.binding.path}`);
    expect(new Set(table).size).toBe(table.length);
    const ids = operations.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("makes every tRPC procedure but the live stream from the operation of its name", () => {
    const procedures = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: { operation?: string } } }>,
    ).filter(([path]) => !path.startsWith("live."));
    const fromOps = operations.filter((o) => o.trpc);
    expect(procedures.map(([path]) => path).sort()).toEqual(fromOps.map((o) => o.id).sort());
    for (const [path, p] of procedures) {
      const op = fromOps.find((o) => o.id === path);
      expect(p._def.meta?.operation, path).toBe(path);
      expect(p._def.type, path).toBe(op?.mutates ? "mutation" : "query");
    }
  });

  it("gives every REST operation a summary, a 4xx answer and, when authenticated, 401 and 403", () => {
    for (const [path, item] of Object.entries(document().paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        expect(op.summary, where).toBeTruthy();
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => s.startsWith("4")),
          where,
        ).toBe(true);
        const registered = operations.find((o) => o.id === op.operationId);
        if (registered?.access !== "public") expect(statuses, where).toEqual(expect.arrayContaining(["401", "403"]));
      }
    }
  });

  it("keeps the statuses of the guarded routes and inventory's `at`", () => {
    const paths = document().paths as Record<
      string,
      Record<string, { parameters?: Array<{ name: string }>; responses: Record<string, unknown> }>
    >;
    expect(Object.keys(paths["/api/v1/actions/{planId}/confirm"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "400", "401", "403", "404", "409", "413", "503", "504"]),
    );
    expect(Object.keys(paths["/api/v1/hosts/{id}"]?.delete?.responses ?? {})).toEqual(
      expect.arrayContaining(["204", "401", "403", "404"]),
    );
    expect(paths["/api/v1/hosts/{id}/inventory"]?.get?.parameters?.map((p) => p.name)).toEqual(["id", "at"]);
  });

  it("states the action timeout that is set (NSATLAS_ACTION_TIMEOUT), not a fixed one", () => {
    const timeout = (doc: Doc) =>
      (doc.paths["/api/v1/actions/{planId}/confirm"]?.post?.responses["504"] as { description?: string } | undefined)
        ?.description;
    expect(timeout(document(90_000))).toContain("NSATLAS_ACTION_TIMEOUT (90 s here)");
    expect(timeout(document())).toContain("(30 s here)");
  });

  it("is the committed openapi.json (what `redocly lint` checks; `vitest -u` rewrites it)", async () => {
    await expect(`${JSON.stringify(document(), null, 2)}\n`).toMatchFileSnapshot("../../../openapi.json");
  });
});
