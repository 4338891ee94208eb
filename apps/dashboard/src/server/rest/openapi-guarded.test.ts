import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.js";

describe("OpenAPI document", () => {
  it("describes the guarded actions, audit and history routes, and inventory?at", () => {
    const doc = JSON.parse(JSON.stringify(openApiDocument())) as {
      paths: Record<
        string,
        Record<string, { parameters?: Array<{ name: string }>; responses: Record<string, unknown> }>
      >;
    };
    for (const p of [
      "/api/v1/hosts/{id}/actions",
      "/api/v1/actions/{planId}/confirm",
      "/api/v1/audit",
      "/api/v1/audit/export",
      "/api/v1/audit/verify",
      "/api/v1/audit/public-key",
      "/api/v1/hosts/{id}/history",
      "/api/v1/hosts/{id}/report",
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(Object.keys(doc.paths["/api/v1/actions/{planId}/confirm"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "400", "401", "403", "404", "409", "503", "504"]),
    );
    expect(doc.paths["/api/v1/hosts/{id}/inventory"]?.get?.parameters?.map((p) => p.name)).toContain("at");
  });
});
