import { describe, expect, it } from "vitest";
import { documentViolation } from "./openapi-check.js";

const json = "application/json; charset=utf-8";
const error = JSON.stringify({ error: { code: "NOT_FOUND", message: 'host "x" not found' } });

describe("documentViolation", () => {
  it("passes an answer the document describes", () => {
    expect(documentViolation("GET", "/healthz", 200, json, '{"ok":true}')).toBeNull();
    expect(documentViolation("GET", "/api/v1/hosts/x/inventory", 404, json, error)).toBeNull();
    expect(documentViolation("DELETE", "/api/v1/session", 204, null, "")).toBeNull();
    expect(documentViolation("GET", "/api/v1/audit/export", 200, "text/csv; charset=utf-8", "seq,at\n")).toBeNull();
  });

  it("names a status, a media type or a body the document does not describe", () => {
    expect(documentViolation("GET", "/healthz", 418, json, "{}")).toMatch(/a status the document does not list/);
    expect(documentViolation("GET", "/healthz", 200, "text/html", "<p>")).toMatch(/not one of application\/json/);
    expect(documentViolation("GET", "/healthz", 200, json, '{"ok":false}')).toMatch(/schema refuses: \/ok/);
    expect(documentViolation("GET", "/api/v1/hosts", 200, json, '{"hosts":[{"id":1}]}')).toMatch(/schema refuses/);
    expect(documentViolation("GET", "/api/v1/hosts", 401, json, '{"error":{"code":"X"}}')).toMatch(/message/);
    expect(documentViolation("DELETE", "/api/v1/session", 204, null, "x")).toMatch(/a body the document does not/);
  });

  it("leaves alone what is no operation (the router's 404 and 405)", () => {
    expect(documentViolation("GET", "/api/v1/nope", 404, json, error)).toBeNull();
    expect(documentViolation("PUT", "/api/v1/hosts", 405, json, error)).toBeNull();
  });
});
