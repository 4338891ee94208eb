// Scan speed against lsns -J on a world of >= 3,000 processes in >= 200 named stacks (joined
// with setns, like `nsenter --net`), then on >= 500 processes each in its own mount namespace.
import { readdirSync } from "node:fs";
import { lsnsCompare } from "./lsns-bench.mjs";
import { fmt, median, timeCommand } from "./measure.mjs";
import { BenchWorld } from "./world-builder.mjs";

const AGENT = new URL("../apps/agent/bin/nsatlas-agent", import.meta.url).pathname;
const RUNS = 7;

async function compare(label) {
  const ours = [];
  const lsns = [];
  await timeCommand([AGENT, "scan", "--json", "--no-netstacks"]); // warm the page cache
  await timeCommand(["lsns", "-J"]);
  for (let i = 0; i < RUNS; i++) {
    ours.push(await timeCommand([AGENT, "scan", "--json", "--no-netstacks"]));
    lsns.push(await timeCommand(["lsns", "-J"]));
  }
  const procs = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).length;
  const m = median(ours);
  const l = median(lsns);
  console.log(
    `${label} (${procs} processes, ${RUNS} runs each): nsatlas-agent scan --json --no-netstacks median ${fmt(m)}; lsns -J median ${fmt(l)}; ratio ${(m / l).toFixed(2)} (target <= 0.25)`,
  );
  return { procs, ours: m, lsns: l, ratio: m / l };
}

export async function scanBench() {
  const results = {};
  const world = new BenchWorld();
  const stop = () => world.destroy().then(() => process.exit(130));
  process.once("SIGINT", stop);
  try {
    world.addStacks(200);
    await world.startMany(3000, (i) => [
      "nsenter",
      `--net=/run/netns/${world.stacks[i % world.stacks.length]}`,
      "sleep",
      `${10000 + i}`,
    ]);
    results.stacks = await compare("scan, 200 stacks");
    results.lsns = await lsnsCompare("lsns, 200 stacks");
    await world.destroy();
    await world.startMany(500, (i) => ["unshare", "--mount", "--propagation", "private", "sleep", `${20000 + i}`]);
    results.mounts = await compare("scan, 500 mount namespaces");
  } finally {
    await world.destroy();
    process.removeListener("SIGINT", stop);
  }
  return results;
}
