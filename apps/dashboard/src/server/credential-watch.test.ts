import type { Db } from "@nsatlas/hub";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCredentialWatch, sqliteCredentialChanges } from "./credential-watch.js";

afterEach(() => vi.useRealTimers());

function setup() {
  let version = 1;
  const db = { pragma: () => version } as unknown as Db;
  const watch = createCredentialWatch(sqliteCredentialChanges(db), { info() {}, warn() {}, error() {} });
  const socket = (alive: () => boolean) => {
    const closes: number[] = [];
    const off = watch.add({ alive, close: (code) => closes.push(code) });
    return { closes, off };
  };
  return { watch, socket, bump: () => (version += 1) };
}

describe("createCredentialWatch", () => {
  it("closes a dead credential's socket with 4401 when another process changed the database", async () => {
    vi.useFakeTimers();
    const t = setup();
    let alive = true;
    const s = t.socket(() => alive);
    await vi.advanceTimersByTimeAsync(100);
    alive = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(s.closes).toEqual([]); // nothing changed in the database: no sweep yet
    t.bump();
    await vi.advanceTimersByTimeAsync(25);
    expect(s.closes).toEqual([4401]);
  });

  it("keeps a socket whose credential cannot be checked now", async () => {
    const t = setup();
    const s = t.socket(() => {
      throw new Error("database is locked");
    });
    await t.watch.sweep();
    expect(s.closes).toEqual([]);
  });

  it("sweeps at least once a minute, for sessions that expire without a database change", async () => {
    vi.useFakeTimers();
    const t = setup();
    let alive = true;
    const s = t.socket(() => alive);
    alive = false;
    await vi.advanceTimersByTimeAsync(59_000);
    expect(s.closes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(s.closes).toEqual([4401]);
  });
});
