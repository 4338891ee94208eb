// A PostgreSQL server of our own for integration tests: Debian's binaries, a temporary data
// dir and socket dir, a free port on 127.0.0.1 (never 5432), stopped and removed also when a
// test fails. PostgreSQL refuses to run as root, so initdb and postgres run as `postgres`.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

const BIN = "/usr/lib/postgresql/15/bin";

export interface TestPostgres {
  /** postgres://… of the server's `nsatlas` database (a fresh one from `database()`). */
  url: string;
  port: number;
  dir: string;
  /** Creates another empty database and returns its URL (one per test keeps them apart). */
  database(name: string): string;
  /** Stops the server (fast shutdown), keeping its data dir. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  start(): Promise<void>;
  /** Stops it and removes its dir. */
  destroy(): Promise<void>;
}

/** Whether Debian's PostgreSQL 15 is installed (tests skip with a reason otherwise). */
export function postgresAvailable(): boolean {
  return existsSync(join(BIN, "postgres")) && existsSync(join(BIN, "initdb"));
}

function postgresUid(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const f = line?.split(":");
  if (!f || f.length < 4) throw new Error("no postgres user (apt-get install postgresql)");
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** Starts a PostgreSQL 15 server in a new temporary dir; call destroy() in afterAll. */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "nsatlas-pg-"));
  const { uid, gid } = postgresUid();
  chmodSync(dir, 0o700);
  chownSync(dir, uid, gid);
  const data = join(dir, "data");
  const asPostgres = { uid, gid, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" } };
  let child: ChildProcess | null = null;
  let log = "";
  const port = await freePort();
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const psql = (sql: string) =>
    execFileSync(join(BIN, "psql"), ["-h", dir, "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", sql], {
      ...asPostgres,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });

  async function start(): Promise<void> {
    log = "";
    const c = spawn(
      join(BIN, "postgres"),
      ["-D", data, "-k", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
      { ...asPostgres, stdio: ["ignore", "pipe", "pipe"] },
    );
    child = c;
    const keep = (b: Buffer) => {
      log = (log + b.toString()).slice(-8_000);
    };
    c.stdout?.on("data", keep);
    c.stderr?.on("data", keep);
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      if (c.exitCode !== null) throw new Error(`postgres exited (${c.exitCode}): ${log}`);
      if (/ready to accept connections/.test(log)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`postgres did not start in 30 s: ${log}`);
  }

  async function stop(): Promise<void> {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    c.kill("SIGINT"); // fast shutdown: clients are disconnected, the data is kept
    await exited;
  }

  // A worker torn down before its afterAll (a killed run) still removes the server and its dir.
  const onExit = () => {
    child?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  process.once("exit", onExit);
  try {
    execFileSync(join(BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"], {
      ...asPostgres,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
    await start();
    psql("CREATE DATABASE nsatlas");
  } catch (err) {
    await stop();
    process.off("exit", onExit);
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    throw err;
  }
  return {
    url: url("nsatlas"),
    port,
    dir,
    database(name) {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`bad database name ${name}`);
      psql(`CREATE DATABASE ${name}`);
      return url(name);
    },
    stop,
    start,
    async destroy() {
      await stop();
      process.off("exit", onExit);
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}
