// The fleet bench's load generator (a child process, so the hub's CPU is measured alone):
//   node fleet-load.mjs URL[,URL…] TOKEN COUNT INVENTORY_JSON RAMP_MS [FIRST_INDEX]
// (several URLs: hub replicas, the first dialled, the next when it goes away)
// starts COUNT synthetic agents with connects spread over RAMP_MS at random, prints one JSON
// line of counts every second, and stops them all on SIGTERM.
import { readFileSync } from "node:fs";
import { SyntheticAgent } from "./synthetic-agent.mjs";

const [url, token, countText, inventoryFile, rampText, firstText = "0"] = process.argv.slice(2);
const count = Number(countText);
const first = Number(firstText);
const recorded = JSON.parse(readFileSync(inventoryFile, "utf8"));
const events = { connected: 0, closed: 0, error: 0, resync: 0, delta: 0 };
const agents = [];

/** Agent i's inventory: the recorded one, plus addresses that let searches tell hosts apart. */
function inventoryFor(i) {
  const base = structuredClone(recorded);
  const stack = base.netstacks?.find((s) => s.links.some((l) => l.name === "lo"));
  const lo = stack?.links.find((l) => l.name === "lo");
  // 198.18.0.0/15 is for benchmarks (RFC 2544): one address per host, and agents 0 and 1
  // share 198.18.255.1 (a duplicate across hosts).
  lo?.addresses.push({
    family: "inet",
    address: `198.18.${(i >> 8) & 255}.${i & 255}`,
    prefixlen: 32,
    scope: "global",
  });
  if (i < 2) lo?.addresses.push({ family: "inet", address: "198.18.255.1", prefixlen: 32, scope: "global" });
  // Every 50th host runs a process nobody else does, for a search that must look everywhere.
  if (i % 50 === 0) {
    const p = base.processes.find((x) => x.comm === "sleep");
    if (p) Object.assign(p, { comm: "pgbouncer", cmdline: ["/usr/sbin/pgbouncer", "/etc/pgbouncer.ini"] });
  }
  return base;
}

for (let k = 0; k < count; k++) {
  const i = first + k;
  const agent = new SyntheticAgent({
    url: url.split(",")[0],
    urls: url.split(","),
    token,
    id: `synthetic-${String(i).padStart(4, "0")}`,
    base: inventoryFor(i),
    churnEveryMs: 1_000,
    onEvent: (kind) => {
      events[kind] += 1;
    },
  });
  agents.push(agent);
  setTimeout(() => agent.start(), Math.random() * Number(rampText));
}
const report = setInterval(() => process.stdout.write(`${JSON.stringify(events)}\n`), 1_000);
process.on("SIGTERM", () => {
  clearInterval(report);
  for (const a of agents) a.stop();
  setTimeout(() => process.exit(0), 500);
});
