// Stack detail for >= 200 named stacks, each with a veth to the initial stack and addresses:
// the scanner with netstacks on against off (in process, and through the CLI), beside the cost
// of the one-spawn-per-stack way, `ip -n NAME -j addr` for every stack.
import { execFileSync } from "node:child_process";
import { fmt, median, timeCommand } from "./measure.mjs";
import { BenchWorld } from "./world-builder.mjs";

const AGENT = new URL("../apps/agent/bin/nsatlas-agent", import.meta.url).pathname;
const SCANNER = new URL("../packages/scanner/dist/index.js", import.meta.url).href;
const STACKS = 200;
const RUNS = 9;

/** One veth per stack: host side PREFIXvN (<= 15 chars), stack side eth0, a /30 and an IPv6. */
function wire(world) {
  const host = [];
  world.stacks.forEach((name, i) => {
    host.push(`link add ${world.prefix}v${i} type veth peer name eth0 netns ${name}`);
    host.push(`addr add 10.${100 + (i >> 6)}.${(i & 63) * 4}.1/30 dev ${world.prefix}v${i}`);
    host.push(`link set ${world.prefix}v${i} up`);
  });
  execFileSync("ip", ["-batch", "-"], { input: `${host.join("\n")}\n` });
  world.stacks.forEach((name, i) => {
    const inside = [
      `addr add 10.${100 + (i >> 6)}.${(i & 63) * 4}.2/30 dev eth0`,
      `addr add fd00:5e:${i.toString(16)}::2/64 dev eth0 nodad`,
      "link set eth0 up",
      "link set lo up",
      `route add default via 10.${100 + (i >> 6)}.${(i & 63) * 4}.1`,
    ];
    execFileSync("ip", ["-n", name, "-batch", "-"], { input: `${inside.join("\n")}\n` });
  });
}

function timeSync(fn) {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Every bench stack's eth0 and every host-side veth must know its peer. */
function countResolved(world, inventory) {
  const named = new Map(
    inventory.namespaces.filter((n) => n.type === "net").flatMap((n) => n.names.map((x) => [x, n.id])),
  );
  const ids = new Set(world.stacks.map((s) => named.get(s)));
  let resolved = 0;
  for (const s of inventory.netstacks ?? []) {
    for (const l of s.links) {
      const ours = ids.has(s.ns) ? l.name === "eth0" : l.name.startsWith(`${world.prefix}v`);
      if (ours && l.peer !== null) resolved += 1;
    }
  }
  return resolved;
}

export async function netstackBench() {
  const world = new BenchWorld();
  const stop = () => world.destroy().then(() => process.exit(130));
  process.once("SIGINT", stop);
  try {
    world.addStacks(STACKS);
    wire(world);
    const { scan } = await import(SCANNER);
    const options = { procRoot: "/proc", netnsDir: "/run/netns", euid: 0, ownPid: process.pid };
    scan(options); // warm up: page cache, JIT
    const on = [];
    const off = [];
    let last;
    for (let i = 0; i < RUNS; i++) {
      const a = timeSync(() => scan({ ...options, netstacks: true }));
      on.push(a.ms);
      last = a.value;
      off.push(timeSync(() => scan({ ...options, netstacks: false })).ms);
    }
    const resolved = countResolved(world, last);
    const cliOn = [];
    const cliOff = [];
    for (let i = 0; i < 5; i++) {
      cliOn.push(await timeCommand([AGENT, "scan", "--json"]));
      cliOff.push(await timeCommand([AGENT, "scan", "--json", "--no-netstacks"]));
    }
    const ipRuns = [];
    for (let r = 0; r < 3; r++) {
      const start = process.hrtime.bigint();
      for (const name of world.stacks)
        execFileSync("ip", ["-n", name, "-j", "addr"], { stdio: ["ignore", "pipe", "ignore"] });
      ipRuns.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const detail = median(on) - median(off);
    const ip = median(ipRuns);
    const stacks = last.netstacks.length;
    console.log(
      `netstack, ${STACKS} named stacks with a veth each (${stacks} stacks in all, ${resolved}/${2 * STACKS} bench veth ends with their peer resolved):`,
    );
    console.log(
      `  in process (${RUNS} runs): scan with netstacks median ${fmt(median(on))}, without ${fmt(median(off))}: stack detail ${fmt(detail)} (target <= 0.300 s)`,
    );
    console.log(
      `  CLI (5 runs): nsatlas-agent scan --json median ${fmt(median(cliOn))}, --no-netstacks ${fmt(median(cliOff))}: difference ${fmt(median(cliOn) - median(cliOff))}`,
    );
    console.log(
      `  ip -n NAME -j addr for every stack (3 runs): median ${fmt(ip)}; ratio stack detail / ip ${(detail / ip).toFixed(3)}`,
    );
    return { stacks, resolved, detail, withNetstacks: median(on), without: median(off), ip, ratio: detail / ip };
  } finally {
    await world.destroy();
    process.removeListener("SIGINT", stop);
  }
}
