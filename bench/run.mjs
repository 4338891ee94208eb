// `npm run bench [scan|stream|netstack|ui|fleet|containers|hardening|capture]...`: every benchmark (or the named ones), figures
// printed as they come. Needs root: it creates namespaces and thousands of processes.
import { captureBench } from "./capture-bench.mjs";
import { containersBench } from "./containers-bench.mjs";
import { fleetBench } from "./fleet-bench.mjs";
import { hardeningBench } from "./hardening.mjs";
import { netstackBench } from "./netstack-bench.mjs";
import { scanBench } from "./scan-bench.mjs";
import { streamBench } from "./stream-bench.mjs";
import { uiBench } from "./ui-bench.mjs";
import { uiBytesBench } from "./ui-bytes.mjs";

if (process.geteuid?.() !== 0) {
  console.error("npm run bench needs root: it creates namespaces and thousands of processes");
  process.exit(1);
}
const benches = {
  scan: scanBench,
  netstack: netstackBench,
  stream: streamBench,
  ui: async () => {
    await uiBench();
    // `--ui-minutes N`: how long its stacks view stays open under churn (default 60).
    const i = process.argv.indexOf("--ui-minutes");
    await uiBytesBench(i >= 0 ? ["--minutes", process.argv[i + 1]] : []);
  },
  fleet: fleetBench,
  containers: containersBench,
  hardening: hardeningBench,
  capture: captureBench,
};
const only = process.argv.slice(2);
for (const [name, bench] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  await bench();
}
