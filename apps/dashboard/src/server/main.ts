import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuditFileError, DatabaseError } from "@nsatlas/hub";
import { startServer } from "./create-server.js";
import { loadSettings, SettingsError } from "./env.js";

/** Composition root of `npm start` / `node dist/server/main.js`. */
async function main(): Promise<void> {
  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(`nsatlas: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const appDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer({ settings, nextDir: appDir });
  } catch (err) {
    // A damaged database, a lost audit history or no agent program for the local agent: one
    // line saying what and what to do.
    if (err instanceof DatabaseError || err instanceof AuditFileError || err instanceof SettingsError) {
      console.error(`nsatlas: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const { adminToken } = running;
  console.log(`nsatlas dashboard: ${running.url}`);
  if (adminToken.created && adminToken.secret) {
    console.log(`Admin token created (kept in ${join(settings.dataDir, "admin.token")}, shown once here):`);
    console.log(`  ${adminToken.secret}`);
    console.log(`Open: ${running.url}/login#token=${adminToken.secret}`);
  } else if (adminToken.source === "file") {
    console.log(`Admin token: see ${join(settings.dataDir, "admin.token")} (or set NSATLAS_ADMIN_TOKEN)`);
  }
  if (running.localAgent) console.log(`Local agent for this host: ${running.localAgent.name}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    running.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

await main();
