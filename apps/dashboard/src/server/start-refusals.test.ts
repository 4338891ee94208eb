import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main as cli } from "../cli/main.js";

const SERVER = new URL("../../dist/server/main.js", import.meta.url).pathname;
let dir: string;
const db = () => join(dir, "nsatlas.db");

/** A data dir with a database of some size, its key and its anchor (made by the CLI). */
function dataDirWithRows(rows: number): void {
  const quiet = [process.stdout, process.stderr].map((s) => vi.spyOn(s, "write").mockImplementation(() => true));
  try {
    for (let i = 0; i < rows; i++) expect(cli(["token", "create", "--role", "auditor", "--name", `t${i}`])).toBe(0);
  } finally {
    for (const q of quiet) q.mockRestore();
  }
}

/** Starts the server on the data dir; it must refuse. */
function start(): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [SERVER], {
    env: { ...process.env, NSATLAS_DATA_DIR: dir, NSATLAS_PORT: "0", NSATLAS_LOCAL_AGENT: "0" },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, stderr: r.stderr };
}

function expectOneLineRefusal(r: { status: number | null; stderr: string }, what: RegExp): void {
  expect(r.status).toBe(1);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nsatlas: /);
  expect(lines[0]).toMatch(what);
  expect(r.stderr).not.toMatch(/SqliteError|\n\s+at /);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-refuse-"));
  vi.stubEnv("NSATLAS_DATA_DIR", dir);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe("the server refuses to start on a lost or damaged history", () => {
  it("a 0-byte nsatlas.db next to an anchor", () => {
    dataDirWithRows(2);
    writeFileSync(db(), "");
    expectOneLineRefusal(start(), /no audit rows but audit\.anchor says the log reached seq 2.*restore/);
  }, 60_000);

  it("a deleted audit.key while rows exist", () => {
    dataDirWithRows(2);
    rmSync(join(dir, "audit.key"));
    expectOneLineRefusal(start(), /audit\.key is missing but the audit log holds 2 rows.*restore audit\.key/);
  }, 60_000);

  it("a damaged page and a truncated file", () => {
    dataDirWithRows(60);
    const size = statSync(db()).size;
    const fd = openSync(db(), "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    expectOneLineRefusal(start(), /nsatlas\.db is damaged \(quick_check: .*\): stop nsatlas and restore it/);
    truncateSync(db(), Math.floor(size / 3));
    expectOneLineRefusal(start(), /nsatlas\.db is damaged/);
  }, 60_000);
});
