import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "../create-server.js";
import type { Settings } from "../env.js";
import { checkAnswersOf } from "./checked-fetch.js";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

/** A dashboard server on 127.0.0.1, port 0 (or the given one), in a temporary data dir, with
 * no Next UI and no local agent unless asked. Every `fetch` of the test to it has its answer
 * checked against the OpenAPI document (`checkAnswersOf`). */
export async function startTestServer(over: Partial<Settings> = {}): Promise<RunningServer & { dataDir: string }> {
  const dataDir = over.dataDir ?? mkdtempSync(join(tmpdir(), "nsatlas-test-data-"));
  const settings: Settings = {
    host: "127.0.0.1",
    port: 0,
    dataDir,
    adminToken: TEST_ADMIN_TOKEN,
    fleetToken: null,
    localAgent: false,
    localAgentArgs: [],
    dev: false,
    ...over,
  };
  const quiet = { info() {}, warn() {}, error: (m: string) => console.error(m) };
  const running = await startServer({ settings, nextDir: null, log: quiet });
  const unchecked = checkAnswersOf(running.url);
  return {
    ...running,
    dataDir,
    close: async () => {
      unchecked();
      await running.close();
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
