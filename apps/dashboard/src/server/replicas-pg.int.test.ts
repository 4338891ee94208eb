// Two and three dashboard replicas on one real PostgreSQL 15 (started by this test, stopped and
// removed also on failure): one audit chain whatever the replica, credentials that work and
// are revoked everywhere, clean 503s while the database is down, and no audit row lost or
// duplicated across a restart.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadOrCreateAuditKey, loadOrCreateSigningKey } from "@nsatlas/hub";
import { rawUpgrade, startPostgres, type TestPostgres } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "./create-server.js";
import type { DatabaseSettings } from "./env.js";
import { connectForgedAgent } from "./testing/forged-agent.js";
import { minimalInventory } from "./testing/minimal-inventory.js";
import { RawTrpcSocket } from "./testing/raw-http.js";
import { eventually } from "./testing/rest-client.js";
import { removeDataDir, startTestServer, TEST_ADMIN_TOKEN } from "./testing/test-server.js";

const run = promisify(execFile);
const CLI = join(import.meta.dirname, "../../bin/nsatlas");

let pg: TestPostgres;
let keys: string;
const servers: Array<RunningServer & { dataDir: string }> = [];

beforeAll(async () => {
  pg = await startPostgres();
  keys = mkdtempSync(join(tmpdir(), "nsatlas-test-keys-"));
  loadOrCreateAuditKey(join(keys, "audit.key"));
  loadOrCreateSigningKey(join(keys, "audit-signing.key"), join(keys, "audit-signing.pub"), 0);
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.close().catch(() => {});
  for (const s of servers) removeDataDir(s.dataDir);
  await pg?.destroy();
  if (keys) rmSync(keys, { recursive: true, force: true });
});

const database = (url: string): DatabaseSettings => ({
  url,
  auditKeyFile: join(keys, "audit.key"),
  auditSigningKeyFile: join(keys, "audit-signing.key"),
});

async function replicas(url: string, n: number, over: { adminToken?: string | null } = {}) {
  const started = await Promise.all(
    Array.from({ length: n }, () => startTestServer({ database: database(url), ...over })),
  );
  servers.push(...started);
  return started;
}

const cliEnv = (url: string, dataDir: string) => ({
  ...process.env,
  NSATLAS_DATABASE_URL: url,
  NSATLAS_AUDIT_KEY_FILE: join(keys, "audit.key"),
  NSATLAS_AUDIT_SIGNING_KEY_FILE: join(keys, "audit-signing.key"),
  NSATLAS_DATA_DIR: dataDir,
});

async function verifyWithCli(url: string, dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [CLI, "audit", "verify"], { env: cliEnv(url, dataDir) });
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? -1, out: e.stderr ?? "" };
  }
}

const get = (s: RunningServer, path: string, token: string) =>
  fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe("dashboard replicas on one PostgreSQL", () => {
  it("start at once on an empty database: the schema is made once and one first admin token exists", async () => {
    const url = pg.database("start_race");
    const started = await replicas(url, 3, { adminToken: null });
    const sources = started.map((s) => s.adminToken.source).sort();
    expect(sources).toEqual(["created", "replica", "replica"]);
    const secret = started.find((s) => s.adminToken.created)?.adminToken.secret as string;
    // The one admin token works on every replica.
    for (const s of started) expect((await get(s, "/api/v1/hosts", secret)).status).toBe(200);
  });

  it("concurrent audit appends from three replicas and three CLI processes form one chain `audit verify` accepts", async () => {
    const url = pg.database("one_chain");
    const [a, b, c] = await replicas(url, 3);
    if (!a || !b || !c) throw new Error("three replicas");
    const appends = [a, b, c].flatMap((s, i) =>
      Array.from({ length: 40 }, (_, k) =>
        s.audit.append({ actor: `r${i}`, action: "test.append", params: { k }, result: "ok" }),
      ),
    );
    const clis = [1, 2, 3].map((i) =>
      run(process.execPath, [CLI, "token", "create", "--role", "operator", "--name", `cli-${i}`], {
        env: cliEnv(url, a.dataDir),
      }),
    );
    const [rows] = await Promise.all([Promise.all(appends), Promise.all(clis)]);
    // Every append got its own seq: no fork (two rows after one head), no gap.
    const seqs = rows.map((r) => r.seq).sort((x, y) => x - y);
    expect(new Set(seqs).size).toBe(120);
    const all = await a.audit.list(0, 1000);
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all.filter((r) => r.action === "token.create")).toHaveLength(3);
    const verdict = await verifyWithCli(url, b.dataDir);
    expect(verdict).toMatchObject({ code: 0 });
    expect(verdict.out).toMatch(new RegExp(`intact: ${all.length} rows`));
    // Each replica's own verification of the shared chain agrees.
    for (const s of [a, b, c]) expect((await s.audit.verifyAsync(null)).ok).toBe(true);
  });

  it("a token made on one replica works on another; revoking it there closes its agent socket here (4401)", async () => {
    const url = pg.database("revoke_across");
    const [a, b] = await replicas(url, 2);
    if (!a || !b) throw new Error("two replicas");
    const secret = await a.tokens.create("agent-x", "agent");
    const agent = await connectForgedAgent(b.url, secret, "agent-x", minimalInventory());
    expect(b.fleet.host("agent-x")).toBeDefined();
    await a.tokens.revoke("agent-x");
    expect(await agent.closed).toBe(4401);
    expect((await get(b, "/api/v1/hosts", secret)).status).toBe(401);
  });

  it("a session opened on one replica works on another; logging out there closes its tRPC socket here (4401)", async () => {
    const url = pg.database("session_across");
    const [a, b] = await replicas(url, 2);
    if (!a || !b) throw new Error("two replicas");
    const secret = await a.tokens.create("op-web", "operator");
    const login = await fetch(`${a.url}/api/v1/session`, { method: "POST", body: JSON.stringify({ token: secret }) });
    expect(login.status).toBe(204);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const s = new RawTrpcSocket(`${b.url.replace("http", "ws")}/api/trpc-ws`, { Cookie: cookie, Origin: b.url });
    await s.opened;
    expect((await s.call("query", "session.me"))?.result).toBeDefined();
    const out = await fetch(`${a.url}/api/v1/session`, {
      method: "DELETE",
      headers: { Cookie: cookie, Origin: a.url },
    });
    expect(out.status).toBe(204);
    expect((await s.closed).code).toBe(4401);
  });

  it("while PostgreSQL is down requests answer 503 (never 401), and after its restart they recover with no audit row lost or duplicated", async () => {
    const url = pg.database("restart");
    const [a, b] = await replicas(url, 2);
    if (!a || !b) throw new Error("two replicas");
    const operator = await a.tokens.create("op-restart", "operator");
    let ok = 0;
    let failed = 0;
    let stop = false;
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const s = i % 2 === 0 ? a : b;
        try {
          await s.audit.append({ actor: "load", action: "test.load", params: { i }, result: "ok" });
          ok += 1;
        } catch {
          failed += 1; // the database is down: the append failed, and said so
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await eventually(() => ok >= 20, 10_000);
    await pg.stop();
    const down = await Promise.all([
      get(a, "/api/v1/hosts", operator),
      get(b, "/api/v1/hosts", operator),
      fetch(`${a.url}/api/v1/session`, { method: "POST", body: JSON.stringify({ token: operator }) }),
    ]);
    expect(down.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(down[0]?.headers.get("retry-after")).not.toBeNull();
    const trpc = await get(b, "/api/trpc/hosts.list", operator);
    expect(trpc.status).toBe(503);
    // An agent's upgrade is refused with 503 before the handshake: it retries, as after 1013.
    const upgrade = await rawUpgrade(a.port, "/agent", [`Authorization: Bearer ${operator}`]);
    expect(upgrade?.status).toBe(503);
    // The env admin token needs no database: it still reads the fleet.
    expect((await get(a, "/api/v1/hosts", TEST_ADMIN_TOKEN)).status).toBe(200);
    await pg.start();
    expect(await eventually(async () => (await get(b, "/api/v1/hosts", operator)).status === 200, 20_000)).toBe(true);
    const before = ok;
    expect(await eventually(() => ok >= before + 20, 20_000)).toBe(true);
    stop = true;
    await load;
    expect(failed).toBeGreaterThan(0);
    const rows = (await a.audit.list(0, 100_000)).filter((r) => r.action === "test.load");
    // Every append that answered ok is there once; none that failed is.
    expect(rows).toHaveLength(ok);
    expect(new Set(rows.map((r) => (r.params as { i: number }).i)).size).toBe(ok);
    expect(await verifyWithCli(url, a.dataDir)).toMatchObject({ code: 0 });
  });

  it("refuses to start on a database that lacks the row its data dir anchored, or with another audit key", async () => {
    const url = pg.database("anchored");
    const [a] = await replicas(url, 1);
    if (!a) throw new Error("one replica");
    await a.audit.append({ actor: "t", action: "test.anchor", result: "ok" });
    await a.close();
    // The same data dir against an empty database: its anchored rows are not there.
    await expect(startTestServer({ dataDir: a.dataDir, database: database(pg.database("emptied")) })).rejects.toThrow(
      /no audit rows|rows were lost/,
    );
    const otherKeys = mkdtempSync(join(tmpdir(), "nsatlas-test-keys-"));
    try {
      loadOrCreateAuditKey(join(otherKeys, "audit.key"));
      const other = { ...database(url), auditKeyFile: join(otherKeys, "audit.key") };
      await expect(startTestServer({ dataDir: join(otherKeys, "data"), database: other })).rejects.toThrow(
        /not the key of this audit log/,
      );
    } finally {
      rmSync(otherKeys, { recursive: true, force: true });
    }
  });
});
