import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../native/ns-holder.c", import.meta.url));

/** Compiles native/ns-holder.c (once per content) and returns the binary's path. */
export function buildNsHolder(): string {
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 12);
  const dir = join(tmpdir(), "nsatlas-bin");
  const bin = join(dir, `ns-holder-${hash}`);
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}`;
  execFileSync("cc", ["-O1", "-o", tmp, source, "-lpthread"], { stdio: "inherit" });
  renameSync(tmp, bin);
  return bin;
}
