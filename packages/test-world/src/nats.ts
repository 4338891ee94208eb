// A nats-server of our own for integration tests and benchmarks: JetStream in a temporary
// store dir, a free port on 127.0.0.1 (never the system's 4222), stopped also when a test
// fails (register stop() with World.defer).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

const NATS_SERVER = "/usr/sbin/nats-server";

export interface NatsServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL); the store dir stays until stop(). */
  kill(): Promise<void>;
  /** Starts it again on the same port and store (after kill()). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function untilListening(port: number, child: ChildProcess, out: () => string): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`nats-server exited ${child.exitCode}: ${out()}`);
    if (/Server is ready/.test(out())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server did not start on ${port}: ${out()}`);
}

/** Starts `nats-server -js -sd <tmp> -p <free port> -a 127.0.0.1`; `maxPayload` in bytes. */
export async function startNatsServer(o: { maxPayload?: number } = {}): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), "nsatlas-nats-"));
  const port = await freePort();
  let child: ChildProcess | null = null;
  // max_payload has no command-line flag: a one-line config file carries it.
  const conf = o.maxPayload ? join(dir, "nats.conf") : null;
  if (conf) writeFileSync(conf, `max_payload: ${o.maxPayload}\n`);
  const launch = async () => {
    let out = "";
    const c = spawn(
      NATS_SERVER,
      [
        ...["-js", "-sd", join(dir, "js"), "-p", String(port), "-a", "127.0.0.1"],
        // No HTTP monitoring and no cluster port: nothing else listens.
        ...(conf ? ["-c", conf] : []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    c.stdout?.on("data", (d) => {
      out = (out + d).slice(-16_384);
    });
    c.stderr?.on("data", (d) => {
      out = (out + d).slice(-16_384);
    });
    child = c;
    await untilListening(port, c, () => out);
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    const t = setTimeout(() => c.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(t);
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    kill,
    restart: launch,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
