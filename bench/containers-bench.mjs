// Container figures: with a dockerd of our own watched by the local agent, how long until
// `docker run -d --name X` shows X by name in the REST inventory, and until `docker rm -f X`
// takes it out again (p50/p95 over 20 tries each; target p95 <= 1 s).
import { readFileSync } from "node:fs";
import { busyboxRootfs, startDockerd, TEST_PREFIX } from "@nsatlas/test-world";
import { fmt, percentile } from "./measure.mjs";
import { startServerProcess } from "./server-process.mjs";

const TRIES = 20;
const machineId = readFileSync("/etc/machine-id", "utf8").trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(check, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(10);
  }
  return false;
}

const named = (inv, name) => (inv?.containers ?? []).some((c) => c.name === name);

export async function containersBench() {
  const prefix = `${TEST_PREFIX}bc${process.pid.toString(16).slice(-4)}`;
  const dockerd = await startDockerd(prefix);
  let server = null;
  try {
    const image = `${prefix}-busybox:1`;
    dockerd.cli(["import", busyboxRootfs(dockerd.dir), image]);
    server = await startServerProcess({
      env: { NSATLAS_LOCAL_AGENT_ARGS: `--interval 1s --docker-socket ${dockerd.socket}` },
    });
    const inventory = () => server.get(`/api/v1/hosts/${machineId}/inventory`);
    if (!(await until(async () => (await inventory()) !== null, 30_000))) throw new Error("no local agent inventory");
    const started = [];
    const removed = [];
    for (let i = 0; i < TRIES; i++) {
      const name = `${prefix}x${i}`;
      const t0 = performance.now();
      dockerd.cli(["run", "-d", "--name", name, image, "sleep", "1000"]);
      if (!(await until(async () => named(await inventory(), name), 10_000))) throw new Error(`${name} never named`);
      started.push(performance.now() - t0);
      const t1 = performance.now();
      dockerd.cli(["rm", "-f", name]);
      if (!(await until(async () => !named(await inventory(), name), 10_000))) throw new Error(`${name} never gone`);
      removed.push(performance.now() - t1);
    }
    const line = (what, xs) =>
      console.log(
        `${what}: p50 ${fmt(percentile(xs, 50))}, p95 ${fmt(percentile(xs, 95))} over ${xs.length} tries (target p95 <= 1 s)`,
      );
    line("latency docker run -d --name X -> X named in REST inventory", started);
    line("latency docker rm -f X -> X gone from REST inventory", removed);
  } finally {
    await server?.stop();
    await dockerd.stop();
  }
}
