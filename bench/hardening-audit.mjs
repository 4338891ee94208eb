// The audit log under a long history: /healthz p95 while the server verifies and exports
// 100,000 rows (target ≤ 50 ms), and the server's RSS growth during that export (≤ 32 MiB).
// Runs alone (`node bench/hardening-audit.mjs`, no root needed) or from `npm run bench -- hardening`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { AuditLog, loadOrCreateAuditKey, openDatabase, writeAnchor } from "@nsatlas/hub";
import { percentile } from "./measure.mjs";
import { BENCH_ADMIN_TOKEN, startServerProcess } from "./server-process.mjs";

const ROWS = 100_000;
const auth = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };

/** A data dir whose audit log holds `rows` rows (one transaction: minutes of appends otherwise). */
function dataDirWithRows(rows) {
  const dir = mkdtempSync(join(tmpdir(), "nsatlas-bench-audit-"));
  const db = openDatabase(join(dir, "nsatlas.db"));
  const log = new AuditLog(db, { key: loadOrCreateAuditKey(join(dir, "audit.key")), anchorPath: null });
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      log.append({
        actor: `bench-${i % 50}`,
        role: "operator",
        sourceIp: "192.0.2.1",
        action: i % 10 === 0 ? "netns.create" : "session.login",
        target: { host: `host-${i % 20}`, name: `stack-${i % 300}` },
        params: { i, note: "x".repeat(40) },
        result: "ok",
      });
    }
  })();
  writeAnchor(join(dir, "audit.anchor"), log.head());
  db.close();
  return dir;
}

const rssBytes = (pid) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

/** Probes /healthz back to back until `work` settles; returns the latencies (ms). */
async function healthzDuring(url, work) {
  const latencies = [];
  let done = false;
  const result = work.finally(() => {
    done = true;
  });
  while (!done) {
    const t = performance.now();
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    latencies.push(performance.now() - t);
  }
  return { latencies, result: await result };
}

// The export is read by another process, so that reading 50 MiB does not delay this process's
// /healthz probes (the figure is the server's, not the client's).
const DOWNLOAD = `let n = 0;
const r = await fetch(process.argv[1], { headers: { authorization: process.argv[2] } });
for await (const c of r.body) n += c.length;
process.stdout.write(String(n));`;

/** Downloads `url` in a child process, discarding it; resolves to the byte count. */
function download(url) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", DOWNLOAD, url, auth.authorization], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`download exited ${code}`))));
  });
}

const ms = (v) => `${v.toFixed(1)} ms`;

export default async function hardeningAuditBench() {
  const t0 = performance.now();
  const dataDir = dataDirWithRows(ROWS);
  console.log(`audit: ${ROWS} rows written in ${ms(performance.now() - t0)}`);
  const server = await startServerProcess({ dataDir, env: { NSATLAS_LOCAL_AGENT: "0" } });
  try {
    // Warm up (JIT, SQLite page cache), then measure.
    for (let i = 0; i < 20; i++) await (await fetch(`${server.url}/healthz`)).arrayBuffer();
    const verify = await healthzDuring(
      server.url,
      fetch(`${server.url}/api/v1/audit/verify`, { headers: auth }).then((r) => r.json()),
    );
    console.log(
      `audit verify of ${verify.result.rows} rows (ok: ${verify.result.ok}): /healthz p95 ${ms(percentile(verify.latencies, 95))}, max ${ms(Math.max(...verify.latencies))} over ${verify.latencies.length} probes (target p95 ≤ 50 ms)`,
    );
    for (const format of ["json", "csv"]) {
      const base = rssBytes(server.child.pid);
      let peak = base;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssBytes(server.child.pid));
      }, 10);
      const start = performance.now();
      const exp = await healthzDuring(server.url, download(`${server.url}/api/v1/audit/export?format=${format}`));
      clearInterval(sampler);
      peak = Math.max(peak, rssBytes(server.child.pid));
      console.log(
        `audit export (${format}, ${(exp.result / 2 ** 20).toFixed(1)} MiB in ${ms(performance.now() - start)}): /healthz p95 ${ms(percentile(exp.latencies, 95))}, max ${ms(Math.max(...exp.latencies))} over ${exp.latencies.length} probes (target ≤ 50 ms); server RSS +${((peak - base) / 2 ** 20).toFixed(1)} MiB (target ≤ 32 MiB)`,
      );
    }
  } finally {
    await server.stop({ keepData: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await hardeningAuditBench();
