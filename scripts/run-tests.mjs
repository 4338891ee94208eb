// `npm test`: lint, typecheck, unit tests, integration tests (serially: they touch host-wide
// state), then the Playwright journeys. Prints one closing line "N passed, N failed" that CI
// reads. `node scripts/run-tests.mjs unit int` runs only the named steps.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  NEXT_TELEMETRY_DISABLED: "1",
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
};
const out = mkdtempSync(join(tmpdir(), "nsatlas-test-"));
let passed = 0;
let failed = 0;

function step(name, cmd, args) {
  console.log(`\n── ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  return r.status === 0;
}

function countVitest(file) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    // A file that failed to load has no tests but is a failure all the same.
    // So is a file whose hook failed: its tests are reported skipped, none of them failed.
    failed += report.testResults.filter(
      (t) => t.status === "failed" && !t.assertionResults.some((a) => a.status === "failed"),
    ).length;
  } catch {
    failed += 1;
  }
}

const only = process.argv.slice(2);
const want = (s) => only.length === 0 || only.includes(s);
if (want("lint") && !step("lint (biome)", bin("biome"), ["check", "."])) failed += 1;
// The committed OpenAPI document (redocly.yaml: recommended rules, telemetry off), offline.
if (want("lint") && !step("lint (redocly, OpenAPI)", bin("redocly"), ["lint", "--format=stylish"])) failed += 1;
// Repeated code (.jscpd.json: TypeScript sources, tests aside): one concept, one definition.
if (want("lint") && !step("lint (duplicate code, jscpd)", bin("jscpd"), ["--config", ".jscpd.json", "--silent"]))
  failed += 1;
if (want("typecheck") && !step("typecheck", bin("turbo"), ["run", "typecheck", "--output-logs=errors-only"]))
  failed += 1;
// "deploy" (images built and run under a dockerd of its own) runs only when named.
for (const project of ["unit", "int", "deploy"]) {
  if (project === "deploy" ? !only.includes(project) : !want(project)) continue;
  const file = join(out, `${project}.json`);
  step(`${project} tests`, bin("vitest"), [
    "run",
    "--project",
    project,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${file}`,
  ]);
  countVitest(file);
}
if (want("e2e")) {
  // Playwright journeys in Debian's Chromium against the real server and a local agent.
  const file = join(out, "e2e.json");
  console.log("\n── e2e (Playwright, Chromium)");
  const r = spawnSync(bin("playwright"), ["test", "--reporter=list,json"], {
    cwd: join(root, "e2e"),
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: file },
    stdio: "inherit",
  });
  try {
    const stats = JSON.parse(readFileSync(file, "utf8")).stats;
    // A flaky journey (failed, then passed on a retry) is a failure: it did not hold.
    passed += stats.expected;
    failed += stats.unexpected + stats.flaky;
    if (stats.flaky > 0) console.log(`${stats.flaky} flaky journey(s), counted as failed`);
    if (r.status !== 0 && stats.unexpected + stats.flaky === 0) failed += 1;
  } catch {
    failed += 1;
  }
}
rmSync(out, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
