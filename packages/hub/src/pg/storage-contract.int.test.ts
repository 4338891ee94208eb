// The audit log, history and plan stores' contract on the embedded stores (SQLite, memory) and
// on a real PostgreSQL 15 of this test's own: the same answers, and on PostgreSQL the same
// answers from two pools (two replicas) at once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Inventory, NetStack } from "@nsatlas/protocol";
import { postgresAvailable, startPostgres, type TestPostgres } from "@nsatlas/test-world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionError } from "../actions/action-error.js";
import { type NewPlan, PlanStore } from "../actions/plan-store.js";
import { AuditLog } from "../audit/audit-log.js";
import { type AuditSigner, loadOrCreateSigningKey } from "../audit/audit-signing.js";
import { openDatabase } from "../database.js";
import { HistoryStore } from "../history/history-store.js";
import type { AuditStorage, HistoryStorage, PlanStorage } from "../storage.js";
import { testLink } from "../test-host.js";
import { testInventory, testNamespace } from "../test-inventory.js";
import { PgAuditLog } from "./pg-audit-log.js";
import { openPgDatabase, type PgDatabase } from "./pg-database.js";
import { PgHistoryStore } from "./pg-history-store.js";
import { PgPlanStore } from "./pg-plan-store.js";

interface Backend {
  /** Two handles on one store (two replicas on PostgreSQL; the same one embedded). */
  audit: [AuditStorage, AuditStorage];
  history: [HistoryStorage, HistoryStorage];
  plans: [PlanStorage, PlanStorage];
}

const KEY = Buffer.alloc(32, 7);
const T0 = Date.parse("2026-03-01T10:00:00Z");
const history = { retentionMs: 86_400_000, maxRowsPerHost: 1000 };
let pg: TestPostgres | null = null;
let dir: string;
let signer: AuditSigner;
const pools: PgDatabase[] = [];
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-contract-"));
  signer = loadOrCreateSigningKey(join(dir, "k"), join(dir, "k.pub"), 0).signer;
  if (postgresAvailable()) pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  for (const p of pools) await p.close();
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const backends: Record<string, () => Promise<Backend>> = {
  embedded: async () => {
    const db = openDatabase(":memory:");
    const audit = new AuditLog(db, { key: KEY, anchorPath: null, signer });
    const h = new HistoryStore(db, history);
    const plans = new PlanStore({ ttlMs: 60_000 });
    return { audit: [audit, audit], history: [h, h], plans: [plans, plans] };
  },
  postgres: async () => {
    if (!pg) throw new Error("PostgreSQL 15 is not installed (apt-get install postgresql-15)");
    const url = pg.database(`storage_${++n}`);
    const [a, b] = [await openPgDatabase(url), await openPgDatabase(url)];
    pools.push(a, b);
    return {
      audit: [
        new PgAuditLog(a, { key: KEY, anchorPath: null, signer }),
        new PgAuditLog(b, { key: KEY, anchorPath: null, signer }),
      ],
      history: [new PgHistoryStore(a, history), new PgHistoryStore(b, history)],
      plans: [new PgPlanStore(a, { ttlMs: 60_000 }), new PgPlanStore(b, { ttlMs: 60_000 })],
    };
  },
};

function world(names: string[], addrs: string[]): Inventory {
  const blue = testNamespace(4026532100, [], names);
  const stack: NetStack = {
    ns: "net:4026532100",
    routes: [],
    listening: [],
    files: {},
    links: [
      testLink(
        2,
        "v0",
        "veth",
        addrs.map((a) => `${a}/24`),
      ),
    ],
  };
  return { ...testInventory([1], [blue]), netstacks: [stack] };
}

const plan = (owner: string): NewPlan => ({
  owner,
  hostId: "h1",
  action: { type: "netns.create", params: { name: "red" } },
  targets: {},
  command: ["ip", "netns", "add", "red"],
  writes: null,
  impact: { stacks: [], processes: [], links: [], unreachable: [], notes: [] },
  summary: "create red",
  confirm: "red",
});

const errorCode = async (f: () => unknown) => {
  try {
    await f();
  } catch (err) {
    if (err instanceof ActionError) return err.code;
    throw err;
  }
  return "ok";
};

describe.each(Object.keys(backends))("stores on %s", (name) => {
  const open = () => (backends[name] as () => Promise<Backend>)();

  it("audit: appends from two handles form one chain; list, forHost, checkpoints, prune and verify agree", async () => {
    const { audit } = await open();
    const [a, b] = audit;
    const rows = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).append({
          actor: `u${i}`,
          action: "test",
          target: { host: i < 10 ? "h1" : "h2" },
          result: "ok",
        }),
      ),
    );
    expect(rows.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await a.head())?.seq).toBe(30);
    expect((await b.list(28, 10)).map((r) => r.seq)).toEqual([29, 30]);
    const h1 = await a.forHost("h1", "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
    expect(h1).toHaveLength(10);
    const cp = await a.checkpoint("interval");
    expect(cp?.seq).toBe(30);
    expect((await b.checkpoint("interval"))?.signature).toBe(cp?.signature); // the head was signed once
    expect(await b.checkpoints()).toHaveLength(1);
    expect(await a.prune(new Date(Date.now() + 60_000))).toBe(30);
    const after = await b.verifyAsync(null);
    expect(after).toMatchObject({ ok: true, rows: 1 });
    expect((await a.latestCheckpoint())?.seq).toBe(31);
    const pages: number[] = [];
    for await (const page of b.pages(10)) pages.push(...page.map((r) => r.seq));
    expect(pages).toEqual([31]);
  });

  it("history: records appearances and disappearances and answers as of T, events and diffs", async () => {
    const [h, other] = (await open()).history;
    await h.record("h1", world(["blue"], ["10.0.0.1"]), T0);
    await h.record("h1", world(["blue"], ["10.0.0.2"]), T0 + 60_000);
    await other.record("h1", testInventory([1]), T0 + 120_000);
    expect(await other.knows("h1")).toBe(true);
    expect(await h.knows("h9")).toBe(false);
    const at = await other.inventoryAt("h1", T0 + 30_000);
    expect(at.namespaces.find((x) => x.id === "net:4026532100")?.names).toEqual(["blue"]);
    expect(at.stacks[0]?.links[0]).toMatchObject({ name: "v0", addresses: [{ address: "10.0.0.1/24" }] });
    expect((await h.inventoryAt("h1", T0 + 130_000)).stacks).toEqual([]);
    const { events } = await h.events("h1", T0, T0 + 200_000, 1000);
    // At one time, appearances sort before disappearances.
    expect(events.filter((e) => e.kind === "address").map((e) => `${e.at} ${e.change}`)).toEqual([
      `${new Date(T0).toISOString()} appeared`,
      `${new Date(T0 + 60_000).toISOString()} appeared`,
      `${new Date(T0 + 60_000).toISOString()} disappeared`,
      `${new Date(T0 + 120_000).toISOString()} disappeared`,
    ]);
    const diff = await other.diff("h1", T0 + 30_000, T0 + 90_000);
    expect(diff.appeared.map((d) => d.kind)).toEqual(["address"]);
    expect(diff.disappeared.map((d) => d.kind)).toEqual(["address"]);
    expect(await h.prune(T0 + 200_000 + 86_400_000)).toBeGreaterThan(0);
  });

  it("plans: confirmed by their owner once, from whichever handle; a second consume loses", async () => {
    const [a, b] = (await open()).plans;
    const p = await a.add(plan("olga"));
    expect(await errorCode(() => b.check(p.id, "mallory", "red"))).toBe("NO_SUCH_PLAN");
    expect(await errorCode(() => b.check(p.id, "olga", "blue"))).toBe("CONFIRM_MISMATCH");
    const seen = [await a.check(p.id, "olga", "red"), await b.check(p.id, "olga", "red")];
    expect(seen.map((s) => s.planHash)).toEqual([p.planHash, p.planHash]);
    const won = await Promise.all(seen.map((s, i) => (i ? b : a).consume(s)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await errorCode(() => a.check(p.id, "olga", "red"))).toBe("PLAN_USED");
  });
});
