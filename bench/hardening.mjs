// `npm run bench -- hardening`: every bench/hardening-*.mjs, in name order, each in its own
// process (a fresh heap and event loop per measurement), output passed through.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL(".", import.meta.url));

export async function hardeningBench() {
  const files = readdirSync(DIR)
    .filter((f) => /^hardening-.+\.mjs$/.test(f))
    .sort();
  for (const file of files) {
    console.log(`-- ${file}`);
    const r = spawnSync(process.execPath, [join(DIR, file)], { stdio: "inherit" });
    if (r.status !== 0) console.log(`${file} failed (exit ${r.status ?? r.signal})`);
  }
}
