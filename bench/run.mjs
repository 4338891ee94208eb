// `npm run bench`: every benchmark, figures printed as they come. Needs root.
import { scanBench } from "./scan-bench.mjs";

if (process.geteuid?.() !== 0) {
  console.error("npm run bench needs root: it creates namespaces and thousands of processes");
  process.exit(1);
}
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
if (want("scan")) await scanBench();
