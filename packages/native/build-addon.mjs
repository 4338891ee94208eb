// Compiles the native addon with the system C compiler against Node's own headers: no
// node-gyp, no download. Skips the compile when the binary is newer than every source.
// NSATLAS_NATIVE_SANITIZE=1 builds build/sanitize/nsatlas_native.node instead, with
// AddressSanitizer and UndefinedBehaviorSanitizer (loaded by src/index.ts under the same
// variable; see scripts/test-native-sanitizers.sh).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, "native");
const sanitize = process.env.NSATLAS_NATIVE_SANITIZE === "1";
const out = join(here, "build", sanitize ? "sanitize" : "", "nsatlas_native.node");
const sources = readdirSync(srcDir).map((f) => join(srcDir, f));
const includeDir = join(dirname(process.execPath), "..", "include", "node");

if (!existsSync(join(includeDir, "node_api.h"))) {
  console.error(`@nsatlas/native: Node headers not found in ${includeDir}`);
  process.exit(1);
}
const newest = Math.max(...[...sources, fileURLToPath(import.meta.url)].map((f) => statSync(f).mtimeMs));
if (existsSync(out) && statSync(out).mtimeMs > newest) process.exit(0);

const optimize = sanitize
  ? ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"]
  : ["-O2"];
mkdirSync(dirname(out), { recursive: true });
const cc = process.env.CC ?? "cc";
execFileSync(
  cc,
  [
    ...optimize,
    "-std=gnu11",
    "-D_GNU_SOURCE",
    "-Wall",
    "-Wextra",
    "-Werror",
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
