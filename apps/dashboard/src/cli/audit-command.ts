import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type AuditAnchor,
  AuditFileError,
  auditCsv,
  auditRows,
  openDatabase,
  openDatabaseReadOnly,
  readAnchor,
  readAuditKey,
  verifyAuditChain,
} from "@nsatlas/hub";
import { AUDIT_ANCHOR_FILE, AUDIT_KEY_FILE, openAuditLog } from "../server/audit-setup.js";
import { parseSettingDuration, SettingsError } from "../server/env.js";

import { CliUnreadable, CliUsage } from "./cli-errors.js";

function options(args: string[], known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] ?? "";
    const value = args[i + 1];
    if (!known.includes(flag)) throw new CliUsage(`unknown option: ${flag}`);
    if (value === undefined || value.startsWith("--")) throw new CliUsage(`${flag} needs a value`);
    out.set(flag, value);
  }
  return out;
}

/** `audit verify [--anchor FILE]`: 0 intact, 1 broken (`broken at seq N` on stderr), 2 unreadable. */
function verify(dir: string, args: string[]): number {
  const o = options(args, ["--anchor"]);
  const dbPath = join(dir, "nsatlas.db");
  let anchor: AuditAnchor | null = null;
  let key: Buffer;
  try {
    key = readAuditKey(join(dir, AUDIT_KEY_FILE));
    const anchorPath = o.get("--anchor") ?? join(dir, AUDIT_ANCHOR_FILE);
    if (o.has("--anchor") || existsSync(anchorPath)) anchor = readAnchor(anchorPath);
  } catch (err) {
    if (err instanceof AuditFileError) throw new CliUnreadable(err.message);
    throw err;
  }
  let db: ReturnType<typeof openDatabaseReadOnly>;
  try {
    db = openDatabaseReadOnly(dbPath);
  } catch (err) {
    throw new CliUnreadable(`cannot open ${dbPath}: ${(err as Error).message}`);
  }
  try {
    const result = verifyAuditChain(auditRows(db), key, anchor);
    if (!result.ok) {
      process.stderr.write(`nsatlas: audit log broken at seq ${result.brokenAt}: ${result.reason}\n`);
      return 1;
    }
    const head = result.head ? `head seq ${result.head.seq}` : "empty";
    process.stdout.write(
      `audit log intact: ${result.rows} rows, ${head}${anchor ? `, anchor seq ${anchor.seq}` : ", no anchor"}\n`,
    );
    return 0;
  } catch (err) {
    // Not an SQLite file, or no audit table in it: nothing that can be verified.
    throw new CliUnreadable(`cannot read the audit log in ${dbPath}: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

function exportLog(dir: string, args: string[]): number {
  const o = options(args, ["--format"]);
  const format = o.get("--format") ?? "json";
  if (format !== "json" && format !== "csv") throw new CliUsage("--format is json or csv");
  let db: ReturnType<typeof openDatabaseReadOnly>;
  try {
    db = openDatabaseReadOnly(join(dir, "nsatlas.db"));
  } catch (err) {
    throw new CliUnreadable((err as Error).message);
  }
  try {
    const rows = auditRows(db);
    process.stdout.write(format === "csv" ? auditCsv(rows) : `${JSON.stringify({ events: [...rows] }, null, 2)}\n`);
    return 0;
  } catch (err) {
    throw new CliUnreadable(`cannot read the audit log: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

function prune(dir: string, args: string[], actor: string): number {
  const o = options(args, ["--older-than"]);
  const text = o.get("--older-than");
  if (text === undefined) throw new CliUsage("audit prune needs --older-than DURATION (e.g. 365d)");
  let ms: number;
  try {
    ms = parseSettingDuration("--older-than", text);
  } catch (err) {
    if (err instanceof SettingsError) throw new CliUsage(err.message);
    throw err;
  }
  const dbPath = join(dir, "nsatlas.db");
  if (!existsSync(dbPath)) throw new CliUnreadable(`no database at ${dbPath}`);
  const db = openDatabase(dbPath);
  try {
    const gone = openAuditLog(db, dir).prune(new Date(Date.now() - ms), actor);
    process.stdout.write(`pruned ${gone} audit rows (the prune itself is recorded)\n`);
    return 0;
  } finally {
    db.close();
  }
}

/** `nsatlas audit verify|export|prune …` on the data dir `dir`. */
export function auditCommand(dir: string, args: string[], actor: string): number {
  const [sub, ...rest] = args;
  switch (sub) {
    case "verify":
      return verify(dir, rest);
    case "export":
      return exportLog(dir, rest);
    case "prune":
      return prune(dir, rest, actor);
    default:
      throw new CliUsage(`unknown audit command: ${sub ?? "(none)"}`);
  }
}
