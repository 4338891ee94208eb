// `npm run demo:fleet -- [N] [--hub URL --token-file FILE [--ca-file FILE]] [--port P]`
// Starts N (default 3) simulated hosts — each an nsatlas agent as pid 1 of its own pid, mount
// and UTS namespaces, with its own /proc, hostname, netns dir and a couple of stacks — that
// stream to a dashboard over loopback. Without --hub it starts a dashboard (with the local
// agent for this machine) in a temporary data dir and gives each host its own agent token;
// with --hub, every host uses the token in --token-file (a shared fleet token: view-only).
// Needs root. Ctrl-C stops everything and removes what it made.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimulatedHost } from "@nsatlas/test-world";
import { startServerProcess } from "../bench/server-process.mjs";

const NSATLAS = new URL("../apps/dashboard/bin/nsatlas", import.meta.url).pathname;
const USAGE = "usage: npm run demo:fleet -- [N] [--hub URL --token-file FILE [--ca-file FILE]] [--port P]";

function parseArgs(argv) {
  const o = { count: 3, hub: null, tokenFile: null, caFile: null, port: 3000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--hub") o.hub = value();
    else if (a === "--token-file") o.tokenFile = value();
    else if (a === "--ca-file") o.caFile = value();
    else if (a === "--port") o.port = Number(value());
    else if (/^\d+$/.test(a)) o.count = Number(a);
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.count < 1 || o.count > 200) throw new Error("N must be 1..200");
  if (o.hub && !o.tokenFile) throw new Error("--hub needs --token-file (the hub's shared fleet token)");
  return o;
}

let o;
try {
  o = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`demo:fleet: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (process.geteuid?.() !== 0) {
  console.error("demo:fleet needs root: each simulated host gets its own pid, mount and UTS namespaces");
  process.exit(1);
}

const workDir = mkdtempSync(join(tmpdir(), "nsatlas-demo-"));
const hosts = [];
let server = null;
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping the simulated hosts…");
  await Promise.all(hosts.map((h) => h.stop()));
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

try {
  let hubUrl = o.hub;
  const adminToken = randomBytes(24).toString("base64url");
  if (!hubUrl) {
    server = await startServerProcess({ port: o.port, env: { NSATLAS_ADMIN_TOKEN: adminToken } });
    hubUrl = `${server.url.replace(/^http/, "ws")}/agent`;
  }
  for (let i = 0; i < o.count; i++) {
    const agentId = `sim-${String(i + 1).padStart(2, "0")}`;
    let tokenFile = o.tokenFile;
    if (server) {
      tokenFile = join(workDir, `${agentId}.token`);
      const secret = execFileSync(NSATLAS, ["token", "create", "--role", "agent", "--name", agentId], {
        env: { ...process.env, NSATLAS_DATA_DIR: server.dataDir },
      });
      writeFileSync(tokenFile, secret, { mode: 0o600 });
    }
    const host = await SimulatedHost.start({
      hubUrl,
      tokenFile,
      agentId,
      hostname: `${agentId}.demo`,
      labels: { role: i % 2 === 0 ? "web" : "db", zone: `zone-${(i % 3) + 1}` },
      agentArgs: o.caFile ? ["--ca-file", o.caFile] : [],
      baseDir: workDir,
      env: { NSATLAS_TEST_RUN: "demo" },
    });
    hosts.push(host);
    // Every host gets an "app" stack with an address of its own and a process inside, and the
    // first two share 192.0.2.10 (TEST-NET-1) in a "vpn" stack: a duplicate across hosts.
    host.addStack("app", { address: `198.51.100.${i + 1}/24` });
    host.spawn(["sleep", "infinity"], { stack: "app" });
    if (i < 2) host.addStack("vpn", { address: "192.0.2.10/24" });
  }
  console.log(`${hosts.length} simulated host(s) streaming to ${hubUrl}:`);
  for (const h of hosts) {
    console.log(`  ${h.agentId}  hostname ${h.hostname}  agent pid ${h.pid}  netns dir ${h.netnsDir}`);
  }
  if (server) {
    console.log(`\ndashboard: ${server.url}  (and the local agent for this machine)`);
    console.log(`log in:    ${server.url}/login#token=${adminToken}`);
    console.log(`REST:      curl -H 'Authorization: Bearer ${adminToken}' ${server.url}/api/v1/hosts`);
  }
  console.log("\nCtrl-C stops them all.");
} catch (err) {
  console.error(`demo:fleet: ${err.stack ?? err}`);
  await stop(1);
}
