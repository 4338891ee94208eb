import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "@nsatlas/service/logger";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type RunningServer, startServer } from "./create-server.js";

let dir: string;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

describe("the server's log", () => {
  it("holds no token: not the first-start admin token, not a refused agent's bearer secret", async () => {
    dir = mkdtempSync(join(tmpdir(), "nsatlas-log-"));
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    server = await startServer({
      settings: {
        host: "127.0.0.1",
        port: 0,
        dataDir: dir,
        adminToken: null,
        fleetToken: null,
        localAgent: false,
        localAgentArgs: [],
        dev: false,
      },
      nextDir: null,
      log: createLogger({ name: "nsatlas-dashboard", level: "trace", destination }),
    });
    const admin = server.adminToken.secret;
    expect(admin).toMatch(/.{16,}/);
    const badSecret = "not-a-token-but-a-secret-0123456789";
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/agent`, {
      headers: { Authorization: `Bearer ${badSecret}` },
    });
    await new Promise((resolve) => {
      ws.once("error", resolve);
      ws.once("close", resolve);
    });
    // The refusal is logged (so the log was written to), without the secret it carried.
    expect(lines.join("")).toMatch(/missing or bad token/);
    for (const l of lines) {
      expect(l).not.toContain(badSecret);
      expect(l).not.toContain(admin);
    }
  });
});
