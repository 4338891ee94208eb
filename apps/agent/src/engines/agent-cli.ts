// Runs the built nsatlas-agent CLI (tests and benchmarks drive it as a user would).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Inventory } from "@nsatlas/protocol";

export const AGENT_BIN = fileURLToPath(new URL("../../bin/nsatlas-agent", import.meta.url));

/** `nsatlas-agent scan --json ARGS`, parsed. */
export function scanJson(args: readonly string[]): Promise<Inventory> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [AGENT_BIN, "scan", "--json", ...args],
      { maxBuffer: 256 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}
