import { createPublicKey } from "node:crypto";
import { join } from "node:path";
import { auditCheckpoints, checkpointSignedBy, openDatabaseReadOnly } from "@nsatlas/hub";
import { AuditPublicKey } from "@nsatlas/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let closed = false;

const get = (path: string, token = TEST_ADMIN_TOKEN) =>
  fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

// More rows than one export page (500), appended once: each append fsyncs its anchor.
beforeAll(async () => {
  server = await startTestServer();
  for (let i = 0; i < 520; i++)
    server.audit.append({ actor: `u${i}`, action: "session.login", params: { i }, result: "ok" });
}, 60_000);
afterAll(async () => {
  if (!closed) await server.close();
  removeDataDir(server.dataDir);
});

describe("audit REST", () => {
  it("streams the export (JSON and CSV) across pages, every row once and in order", async () => {
    const json = await get("/api/v1/audit/export");
    expect(json.status).toBe(200);
    expect(json.headers.get("transfer-encoding")).toBe("chunked");
    const events = ((await json.json()) as { events: { seq: number; digest: string }[] }).events;
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(events.length).toBeGreaterThanOrEqual(520);
    expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.digest))).toBe(true);
    const csv = await (await get("/api/v1/audit/export?format=csv")).text();
    expect(csv.trimEnd().split("\r\n")).toHaveLength(events.length + 1);
  });

  it("verifies without blocking (an async verdict of the whole chain)", async () => {
    const r = await get("/api/v1/audit/verify");
    expect(await r.json()).toMatchObject({ ok: true, brokenAt: null });
  });

  // Last: it stops the server.
  it("serves the checkpoint key to admins and auditors only, and signs the head at shutdown", async () => {
    const r = await get("/api/v1/audit/public-key");
    const key = AuditPublicKey.parse(await r.json());
    expect(key).toMatchObject({ algorithm: "Ed25519", keyId: /^[0-9a-f]{16}$/, fingerprint: /^SHA256:/ });
    const op = await server.tokens.create("op", "operator");
    expect((await get("/api/v1/audit/public-key", op)).status).toBe(403);
    const auditor = await server.tokens.create("aud", "auditor");
    expect((await get("/api/v1/audit/public-key", auditor)).status).toBe(200);
    const head = (await server.audit.head())?.seq;
    await server.close();
    closed = true;
    const db = openDatabaseReadOnly(join(server.dataDir, "nsatlas.db"));
    const last = auditCheckpoints(db).at(-1);
    db.close();
    expect(last?.seq).toBe(head);
    expect(last && checkpointSignedBy(last, createPublicKey(key.publicKey))).toBe(true);
  });
});
