// Scan speed against lsns -J, whole process (`nsatlas-agent scan --json --no-netstacks`,
// Node's start included) and in-process (what a resident agent pays per full rescan), on
// three worlds: >= 3,000 processes in 200 named stacks (joined with setns, like `nsenter
// --net`); 500 processes each in its own mount namespace; and a container world of 500
// sandboxes (see scan-bench-containers.mjs). The ratio is the median of the pairwise
// ratios of runs made one after the other, so a noisy moment hits both sides of a pair.
import { readdirSync } from "node:fs";
import { lsnsCompare } from "./lsns-bench.mjs";
import { fmt, median, timeCommand } from "./measure.mjs";
import { startContainerWorld } from "./scan-bench-containers.mjs";
import { BenchWorld } from "./world-builder.mjs";

const AGENT = new URL("../apps/agent/bin/nsatlas-agent", import.meta.url).pathname;
const RUNS = 7;
const OURS = [AGENT, "scan", "--json", "--no-netstacks"];

async function medianOf(runs, fn) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** In-process scans, median ms: as the CLI's (netstacks off), and as a resident agent's full
 * rescan (netstacks on, mount tables cached until they change, argv of unchanged processes reused). */
async function inProcess(runs, env) {
  const { scanNamespaces } = await import("@nsatlas/scanner/namespaces");
  const { CachedMountTables, scanAsync } = await import("@nsatlas/scanner");
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const opts = { procRoot: "/proc", netnsDir: "/run/netns", euid: 0, ownPid: process.pid };
    const cli = await medianOf(runs, () => scanNamespaces(opts));
    const mountTables = new CachedMountTables();
    let last = await scanAsync({ ...opts, mountTables });
    const resident = await medianOf(runs, async () => {
      last = await scanAsync({ ...opts, mountTables, reuse: last.processes });
    });
    mountTables.close();
    return { cli, resident };
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

async function compare(label, target, env = {}) {
  const ours = [];
  const lsns = [];
  const ratios = [];
  const run = (argv) => timeCommand(argv, { ...process.env, ...env });
  await run(OURS); // warm the page cache
  await run(["lsns", "-J"]);
  for (let i = 0; i < RUNS; i++) {
    const o = await run(OURS);
    const l = await run(["lsns", "-J"]);
    ours.push(o);
    lsns.push(l);
    ratios.push(o / l);
  }
  const procs = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).length;
  const inner = await inProcess(RUNS, env);
  const ratio = median(ratios);
  console.log(
    `${label} (${procs} processes, ${RUNS} pairs): nsatlas-agent scan --json --no-netstacks median ${fmt(median(ours))}; lsns -J median ${fmt(median(lsns))}; median pairwise ratio ${ratio.toFixed(2)} (target <= ${target}); in-process scan (no netstacks) median ${fmt(inner.cli)}; resident full rescan (netstacks, cached mount tables) median ${fmt(inner.resident)}`,
  );
  return { procs, ours: median(ours), lsns: median(lsns), ratio, inProcess: inner };
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
    results.stacks = await compare("scan, 200 stacks", 0.5);
    results.lsns = await lsnsCompare("lsns, 200 stacks");
    await world.destroy();
    await world.startMany(500, (i) => ["unshare", "--mount", "--propagation", "private", "sleep", `${20000 + i}`]);
    results.mounts = await compare("scan, 500 mount namespaces", 1.0);
    await world.destroy();
    await startContainerWorld(world, 500);
    results.containers = await compare("scan, container world (500 sandboxes)", 1.0);
    // The same world with mount tables read the classic way, for comparison.
    results.containersMountinfo = await compare("scan, container world, NSATLAS_MOUNT_TABLES=mountinfo", 1.0, {
      NSATLAS_MOUNT_TABLES: "mountinfo",
    });
  } finally {
    await world.destroy();
    process.removeListener("SIGINT", stop);
  }
  return results;
}
