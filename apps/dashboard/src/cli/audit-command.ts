import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import {
  type AuditAnchor,
  AuditFileError,
  auditExportText,
  auditPages,
  auditRows,
  type BundleVerification,
  type Db,
  loadOrCreateAuditKey,
  loadOrCreateSigningKey,
  openDatabase,
  openDatabaseReadOnly,
  parseAuditBundle,
  readAnchor,
  readAuditKey,
  readPublicKey,
  verifyAuditBundle,
  verifyAuditChain,
  writeAuditBundle,
} from "@nsatlas/hub";
import {
  AUDIT_ANCHOR_FILE,
  AUDIT_KEY_FILE,
  AUDIT_PUBLIC_KEY_FILE,
  AUDIT_SIGNING_KEY_FILE,
  openAuditLog,
} from "../server/audit-setup.js";
import { parseSettingDuration, SettingsError } from "../server/env.js";
import { CliUnreadable, CliUsage } from "./cli-errors.js";
import { cliOptions } from "./cli-options.js";
import { stderrNotes } from "./stderr-notes.js";

const options = (args: string[], known: readonly string[]) =>
  cliOptions(
    args,
    known.map((f) => f.slice(2)),
  ).values;

/** Runs `fn`, turning a missing or malformed key, anchor or bundle into exit 2. */
function readable<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AuditFileError) throw new CliUnreadable(err.message);
    throw err;
  }
}

function openReadOnly(dbPath: string): Db {
  try {
    return openDatabaseReadOnly(dbPath);
  } catch (err) {
    throw new CliUnreadable(`cannot open ${dbPath}: ${(err as Error).message}`);
  }
}

/** `audit verify [--anchor FILE]`: 0 intact, 1 broken (`broken at seq N` on stderr), 2 unreadable. */
function verify(dir: string, args: string[]): number {
  const o = options(args, ["--anchor", "--bundle", "--public-key"]);
  const bundle = o.get("--bundle");
  const publicKey = o.get("--public-key");
  if (bundle !== undefined || publicKey !== undefined) {
    if (bundle === undefined || publicKey === undefined) throw new CliUsage("--bundle and --public-key go together");
    const anchorFile = o.get("--anchor");
    return verifyBundle(bundle, publicKey, anchorFile === undefined ? null : readable(() => readAnchor(anchorFile)));
  }
  const dbPath = join(dir, "nsatlas.db");
  let anchor: AuditAnchor | null = null;
  const key = readable(() => {
    const k = readAuditKey(join(dir, AUDIT_KEY_FILE));
    const anchorPath = o.get("--anchor") ?? join(dir, AUDIT_ANCHOR_FILE);
    if (o.has("--anchor") || existsSync(anchorPath)) anchor = readAnchor(anchorPath);
    return k;
  });
  const db = openReadOnly(dbPath);
  try {
    const result = verifyAuditChain(auditRows(db), key, anchor);
    if (!result.ok) {
      process.stderr.write(`nsatlas: audit log broken at seq ${result.brokenAt}: ${result.reason}\n`);
      return 1;
    }
    const a = anchor as AuditAnchor | null;
    const head = result.head ? `head seq ${result.head.seq}` : "empty";
    process.stdout.write(
      `audit log intact: ${result.rows} rows, ${head}${a ? `, anchor seq ${a.seq}` : ", no anchor"}\n`,
    );
    return 0;
  } catch (err) {
    // Not an SQLite file, or no audit table in it: nothing that can be verified.
    throw new CliUnreadable(`cannot read the audit log in ${dbPath}: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

function bundleVerdict(r: BundleVerification): string {
  const span = r.head ? ` (seq ${r.head.seq - r.rows + 1}–${r.head.seq})` : "";
  const key = `key ${r.key.keyId} (${r.key.fingerprint})`;
  if (!r.proven) return `audit bundle intact: ${r.rows} rows${span}, nothing to prove\n`;
  const rest = r.unproven > 0 ? `; the ${r.unproven} rows after it are consistent but no checkpoint covers them` : "";
  return `audit bundle intact: ${r.rows} rows${span}; proven through seq ${r.proven.seq} (${r.proven.rowTs}) by the checkpoint of ${r.proven.checkpointTs}, ${key}${rest}\n`;
}

/** `audit verify --bundle FILE --public-key PEM [--anchor COPY]`: needs neither a data dir nor
 * a secret. */
function verifyBundle(file: string, publicKeyFile: string, anchor: AuditAnchor | null): number {
  const key = readable(() => readPublicKey(publicKeyFile));
  const bundle = readable(() => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new AuditFileError(`cannot read the bundle ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    return parseAuditBundle(text);
  });
  const r = verifyAuditBundle(bundle, key, anchor);
  if (!r.ok) {
    const where = r.brokenAt === null ? "not proven" : `broken at seq ${r.brokenAt}`;
    process.stderr.write(`nsatlas: audit bundle ${where}: ${r.reason}\n`);
    return 1;
  }
  process.stdout.write(bundleVerdict(r));
  return 0;
}

/** Collects small writes into 64 KiB ones. */
function chunkedWriter(write: (s: string) => void) {
  let buf = "";
  return {
    write(s: string): void {
      buf += s;
      if (buf.length >= 65_536) {
        write(buf);
        buf = "";
      }
    },
    flush(): void {
      if (buf) write(buf);
      buf = "";
    },
  };
}

function exportLog(dir: string, args: string[]): number {
  const o = options(args, ["--format", "--bundle"]);
  const bundle = o.get("--bundle");
  if (bundle !== undefined) {
    if (o.has("--format")) throw new CliUsage("--bundle is its own format");
    return exportBundle(dir, bundle);
  }
  const format = o.get("--format") ?? "json";
  if (format !== "json" && format !== "csv") throw new CliUsage("--format is json or csv");
  const db = openReadOnly(join(dir, "nsatlas.db"));
  try {
    const out = chunkedWriter((s) => process.stdout.write(s));
    for (const chunk of auditExportText(auditPages(db), format)) out.write(chunk);
    out.flush();
    return 0;
  } catch (err) {
    throw new CliUnreadable(`cannot read the audit log: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/** `audit export --bundle FILE`: signs the head first, so the bundle is proven to its end. */
function exportBundle(dir: string, file: string): number {
  const dbPath = join(dir, "nsatlas.db");
  if (!existsSync(dbPath)) throw new CliUnreadable(`no database at ${dbPath}`);
  const db = openDatabase(dbPath);
  try {
    const audit = openAuditLog(db, dir, stderrNotes);
    const checkpoint = audit.checkpoint("export");
    const publicKey = audit.publicKey();
    let fd: number;
    try {
      fd = openSync(file, "w", 0o644);
    } catch (err) {
      throw new CliUnreadable(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    try {
      const out = chunkedWriter((s) => writeSync(fd, s));
      writeAuditBundle(db, publicKey ? [publicKey] : [], (s) => out.write(s));
      out.flush();
    } finally {
      closeSync(fd);
    }
    const through = checkpoint ? `, signed through seq ${checkpoint.seq}` : "";
    process.stdout.write(`wrote ${file}${through} (key ${publicKey?.keyId}, ${publicKey?.fingerprint})\n`);
    return 0;
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
    // A prune signs a checkpoint of what it left (see AuditLog.prune).
    const gone = openAuditLog(db, dir, stderrNotes).prune(new Date(Date.now() - ms), actor);
    process.stdout.write(`pruned ${gone} audit rows (the prune itself is recorded)\n`);
    return 0;
  } finally {
    db.close();
  }
}

/** `audit keys DIR`: the HMAC key and the signing key every replica of a shared database is
 * given (NSATLAS_AUDIT_KEY_FILE, NSATLAS_AUDIT_SIGNING_KEY_FILE); existing files are kept. */
function makeKeys(args: string[]): number {
  const [dir, ...extra] = args;
  if (!dir || extra.length > 0) throw new CliUsage("audit keys takes exactly one DIR");
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = join(dir, AUDIT_KEY_FILE);
  readable(() => loadOrCreateAuditKey(keyFile));
  const { signer } = readable(() =>
    loadOrCreateSigningKey(join(dir, AUDIT_SIGNING_KEY_FILE), join(dir, AUDIT_PUBLIC_KEY_FILE), 0),
  );
  process.stdout.write(
    `NSATLAS_AUDIT_KEY_FILE=${keyFile}\nNSATLAS_AUDIT_SIGNING_KEY_FILE=${join(dir, AUDIT_SIGNING_KEY_FILE)}\n# signing key ${signer.info.keyId}, ${signer.info.fingerprint}\n`,
  );
  return 0;
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
    case "keys":
      return makeKeys(rest);
    default:
      throw new CliUsage(`unknown audit command: ${sub ?? "(none)"}`);
  }
}
