import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "./main.js";

const VICTIM = new URL("./fixtures/append-until-killed.mjs", import.meta.url).pathname;
let dir: string;

/** Starts a child that appends rows until killed; resolves once its first row is in. */
function startAppender(): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, [VICTIM, dir], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`appender exited ${code} before appending`)));
  });
}

function verify(): { code: number; out: string } {
  let out = "";
  const capture = (s: string | Uint8Array) => {
    out += String(s);
    return true;
  };
  const o = vi.spyOn(process.stdout, "write").mockImplementation(capture);
  const e = vi.spyOn(process.stderr, "write").mockImplementation(capture);
  try {
    return { code: main(["audit", "verify"]), out };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nsatlas-crash-"));
  vi.stubEnv("NSATLAS_DATA_DIR", dir);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe("the audit log across kill -9", () => {
  it("verifies intact after each of 10 kill -9s during appends, and leaves no anchor temporaries", async () => {
    for (let i = 0; i < 10; i++) {
      const child = await startAppender();
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 80)));
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      const v = verify();
      expect(v, `after kill ${i + 1}`).toMatchObject({ code: 0 });
      expect(v.out).toMatch(/audit log intact/);
    }
    // The next start removes the temporaries of dead processes (planted one: a dead pid's).
    const dead = (await startAppender()) as ReturnType<typeof spawn> & { pid: number };
    const exited = new Promise((r) => dead.once("exit", r));
    dead.kill("SIGKILL");
    await exited;
    writeFileSync(join(dir, `audit.anchor.tmp-${dead.pid}`), "{");
    const quiet = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(main(["token", "create", "--role", "auditor", "--name", "after-crash"])).toBe(0);
    } finally {
      quiet.mockRestore();
    }
    expect(readdirSync(dir).filter((f) => f.startsWith("audit.anchor.tmp-"))).toEqual([]);
    expect(verify().code).toBe(0);
  }, 60_000);
});
