// Run in the build stage after `npm prune --omit=dev`, which keeps the optional dependencies
// of dev dependencies (platform binaries such as @biomejs/cli-linux-x64): removes every
// package the lock file marks dev-only, and the packages named as arguments, then the scope
// directories (node_modules/@scope) left empty.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname } from "node:path";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const devOnly = Object.entries(lock.packages)
  .filter(([path, p]) => path.includes("node_modules/") && p.dev === true)
  .map(([path]) => path);
const gone = [...devOnly, ...process.argv.slice(2)];
for (const path of gone) rmSync(path, { recursive: true, force: true });
for (const scope of new Set(gone.map(dirname).filter((d) => basename(d).startsWith("@")))) {
  try {
    if (readdirSync(scope).length === 0) rmSync(scope, { recursive: true });
  } catch {
    // already gone with its parent
  }
}
console.log(`removed ${devOnly.length} dev-only packages and ${process.argv.length - 2} named ones`);
