// The token and session stores' contract, run against the embedded SQLite store and against a
// real PostgreSQL 15 of this test's own: both must answer the same.
import { postgresAvailable, startPostgres, type TestPostgres } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../database.js";
import { SessionStore } from "../session-store.js";
import type { SessionStorage, TokenStorage } from "../storage.js";
import { type TokenChange, type TokenError, TokenStore } from "../token-store.js";
import { openPgDatabase, type PgDatabase } from "./pg-database.js";
import { PgSessionStore } from "./pg-session-store.js";
import { PgTokenStore } from "./pg-token-store.js";

interface Backend {
  tokens: TokenStorage;
  sessions: SessionStorage;
  changes: TokenChange[];
}

let pg: TestPostgres | null = null;
const pools: PgDatabase[] = [];
let n = 0;

beforeAll(async () => {
  if (postgresAvailable()) pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  for (const p of pools) await p.close();
  await pg?.destroy();
});

const backends: Record<string, () => Promise<Backend>> = {
  sqlite: async () => {
    const db = openDatabase(":memory:");
    const changes: TokenChange[] = [];
    return { tokens: new TokenStore(db, undefined, (c) => changes.push(c)), sessions: new SessionStore(db), changes };
  },
  postgres: async () => {
    if (!pg) throw new Error("PostgreSQL 15 is not installed (apt-get install postgresql-15)");
    const db = await openPgDatabase(pg.database(`contract_${++n}`));
    pools.push(db);
    const changes: TokenChange[] = [];
    return {
      tokens: new PgTokenStore(db, undefined, (c) => void changes.push(c)),
      sessions: new PgSessionStore(db),
      changes,
    };
  },
};

const codeOf = async (f: () => unknown) => {
  try {
    await f();
  } catch (err) {
    return (err as TokenError).code;
  }
  return null;
};

describe.each(Object.keys(backends))("credential stores on %s", (name) => {
  const open = () => (backends[name] as () => Promise<Backend>)();

  it("creates, verifies, lists and revokes tokens, storing only hashes", async () => {
    const { tokens, changes } = await open();
    const secret = await tokens.create("ops", "operator");
    expect(await tokens.verify(secret)).toMatchObject({ name: "ops", role: "operator" });
    expect(await tokens.verify(`${secret}x`)).toBeNull();
    expect(JSON.stringify(await tokens.list())).not.toContain(secret);
    expect(await tokens.isLive("ops")).toBe(true);
    await tokens.revoke("ops");
    expect(await tokens.verify(secret)).toBeNull();
    expect(await tokens.isLive("ops")).toBe(false);
    expect((await tokens.list())[0]?.revokedAt).not.toBeNull();
    expect((await tokens.verify(await tokens.create("ops", "auditor")))?.role).toBe("auditor");
    expect(changes.map((c) => c.kind)).toEqual(["create", "revoke", "create"]);
  });

  it("refuses bad names, bad roles and duplicates with stable codes", async () => {
    const { tokens } = await open();
    await tokens.create("a", "agent");
    expect(await codeOf(() => tokens.create("a", "agent"))).toBe("NAME_TAKEN");
    expect(await codeOf(() => tokens.create("; rm -rf /", "agent"))).toBe("BAD_NAME");
    expect(await codeOf(() => tokens.create("b", "root"))).toBe("BAD_ROLE");
    expect(await codeOf(() => tokens.revoke("nobody"))).toBe("NOT_FOUND");
  });

  it("rotates a token (the old secret stops working) and creates a first token once", async () => {
    const { tokens } = await open();
    const first = await tokens.rotate("local", "agent");
    const second = await tokens.rotate("local", "agent");
    expect(await tokens.verify(first)).toBeNull();
    expect((await tokens.verify(second))?.name).toBe("local");
    const admin = await tokens.createOnce("admin", "admin");
    expect(admin).not.toBeNull();
    expect(await tokens.createOnce("admin", "admin")).toBeNull();
    expect((await tokens.verify(admin as string))?.role).toBe("admin");
  });

  it("opens, looks up and closes sessions; revoking the token ends its sessions", async () => {
    const { tokens, sessions } = await open();
    await tokens.create("web", "operator");
    const s = await sessions.open("web", "operator");
    expect(await sessions.lookup(s.secret)).toMatchObject({ tokenName: "web", role: "operator" });
    expect(await sessions.lookup(`${s.secret}x`)).toBeNull();
    const other = await sessions.open("web", "operator");
    await sessions.close(other.secret);
    expect(await sessions.lookup(other.secret)).toBeNull();
    await tokens.revoke("web");
    expect(await sessions.lookup(s.secret)).toBeNull();
  });
});

describe("PostgreSQL migrations", () => {
  it("run once when several replicas open the same empty database at once", async () => {
    if (!pg) throw new Error("PostgreSQL 15 is not installed (apt-get install postgresql-15)");
    const url = pg.database("migration_race");
    const opened = await Promise.all(Array.from({ length: 5 }, () => openPgDatabase(url, { max: 2 })));
    pools.push(...opened);
    const first = opened[0] as PgDatabase;
    const versions = await first.pool.query<{ version: number }>("SELECT version FROM nsatlas_schema ORDER BY version");
    expect(versions.rows.map((r) => r.version)).toEqual([1, 2, 3, 4]);
    // Every replica sees the same tokens table.
    const secret = await new PgTokenStore(opened[4] as PgDatabase).create("shared", "operator");
    expect((await new PgTokenStore(first).verify(secret))?.name).toBe("shared");
  });
});
