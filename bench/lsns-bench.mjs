// `nsatlas-agent lsns -J` against util-linux `lsns -J` on the world the scan bench builds (run
// from scan-bench.mjs while its >= 3,000 processes are up): the drop-in must not be the slow one.
import { readdirSync } from "node:fs";
import { fmt, median, timeCommand } from "./measure.mjs";

const AGENT = new URL("../apps/agent/bin/nsatlas-agent", import.meta.url).pathname;
const RUNS = 7;
const TARGET = 0.5;

/** Times both commands RUNS times each (interleaved, after one warm-up) and prints the medians. */
export async function lsnsCompare(label) {
  const ours = [];
  const lsns = [];
  await timeCommand([AGENT, "lsns", "-J"]);
  await timeCommand(["lsns", "-J"]);
  for (let i = 0; i < RUNS; i++) {
    ours.push(await timeCommand([AGENT, "lsns", "-J"]));
    lsns.push(await timeCommand(["lsns", "-J"]));
  }
  const procs = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).length;
  const m = median(ours);
  const l = median(lsns);
  console.log(
    `${label} (${procs} processes, ${RUNS} runs each): nsatlas-agent lsns -J median ${fmt(m)}; lsns -J median ${fmt(l)}; ratio ${(m / l).toFixed(2)} (target <= ${TARGET})`,
  );
  return { procs, ours: m, lsns: l, ratio: m / l };
}
