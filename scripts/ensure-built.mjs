// Installs dependencies when they are missing or older than the lock file, then builds every
// workspace (turbo skips what is up to date). Used by `npm start`, `npm test`, `npm run bench`.
// Refuses a Node older than 22 first, in one line.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Node 20 is past its end of life; 24 is the LTS the project targets, 22 still works.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`nsatlas needs Node.js 24 (or 22); this is Node.js ${process.version}.`);
  process.exit(1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" };

const marker = join(root, "node_modules", ".package-lock.json");
const lock = join(root, "package-lock.json");
if (!existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs)) {
  console.error("nsatlas: installing dependencies (npm ci)…");
  run("npm", existsSync(lock) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
}
// better-sqlite3 is not N-API: its binary fits one Node ABI. After a switch of Node (24 ↔ 22)
// rebuild it for this one, against this Node's headers (npm_config_nodedir), before the build.
try {
  const Database = createRequire(join(root, "packages", "hub", "package.json"))("better-sqlite3");
  new Database(":memory:").close();
} catch (e) {
  if (!String(e?.message).includes("NODE_MODULE_VERSION")) throw e;
  console.error(`nsatlas: rebuilding better-sqlite3 for Node.js ${process.version}…`);
  run("npm", ["rebuild", "better-sqlite3", "--no-audit", "--no-fund"]);
}
execFileSync(join(root, "node_modules", ".bin", "turbo"), ["run", "build", "--output-logs=errors-only"], {
  cwd: root,
  env,
  stdio: ["ignore", "ignore", "inherit"],
});
