// Compiles the native addon with the system C compiler against Node's own headers: no
// node-gyp, no download. Skips the compile when the binary is newer than every source.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, "native");
const out = join(here, "build", "nsatlas_native.node");
const sources = readdirSync(srcDir).map((f) => join(srcDir, f));
const includeDir = join(dirname(process.execPath), "..", "include", "node");

if (!existsSync(join(includeDir, "node_api.h"))) {
  console.error(`@nsatlas/native: Node headers not found in ${includeDir}`);
  process.exit(1);
}
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (existsSync(out) && statSync(out).mtimeMs > newest) process.exit(0);

mkdirSync(dirname(out), { recursive: true });
const cc = process.env.CC ?? "cc";
execFileSync(
  cc,
  [
    "-O2",
    "-std=gnu11",
    "-D_GNU_SOURCE",
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
    "-fPIC",
    "-shared",
    "-DNODE_GYP_MODULE_NAME=nsatlas_native",
    `-I${includeDir}`,
    "-o",
    out,
    ...sources.filter((f) => f.endsWith(".c")),
    "-lpthread",
  ],
  { stdio: "inherit" },
);
console.log(`@nsatlas/native: built ${out}`);
