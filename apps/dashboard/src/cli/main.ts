import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { AuditFileError, type AuditLog, DatabaseError, openDatabase, TokenError, TokenStore } from "@nsatlas/hub";
import { auditTokenChanges, openAuditLog } from "../server/audit-setup.js";
import { ensureDataDir } from "../server/data-dir.js";
import { type DatabaseSettings, databaseFrom, dataDirFrom, SettingsError } from "../server/env.js";
import { auditCommand } from "./audit-command.js";
import { CliUnreadable, CliUsage } from "./cli-errors.js";
import { pgMain } from "./pg-command.js";
import { stderrNotes } from "./stderr-notes.js";
import { parseTokenCommand, printTokenResult } from "./token-command.js";

const USAGE = `usage: nsatlas <command>

  token create --role admin|operator|auditor|agent --name NAME   print a new token (shown once)
  token list                                                      names, roles, dates
  token revoke NAME                                               revoke a token (its sessions end)
  audit verify [--anchor FILE]     check the hash chain: exit 0 intact, 1 broken, 2 unreadable
  audit verify --bundle FILE --public-key PEM [--anchor COPY]
                                   check an exported bundle offline (no data dir, no secret)
  audit export [--format json|csv] print every audit row
  audit export --bundle FILE       write rows, checkpoints and the public key for an auditor
  audit prune --older-than D       drop rows older than D (e.g. 365d); the prune is recorded

The data dir is NSATLAS_DATA_DIR (default /var/lib/nsatlas as root, else ~/.local/state/nsatlas).
With NSATLAS_DATABASE_URL (and NSATLAS_AUDIT_KEY_FILE, NSATLAS_AUDIT_SIGNING_KEY_FILE) token and
audit commands work on that PostgreSQL database, as the replicas do.
  audit keys DIR                   create DIR/audit.key and DIR/audit-signing.key for replicas
`;

function tokenCommand(args: string[], store: TokenStore): number {
  const op = parseTokenCommand(args);
  if (op.kind === "create") return printTokenResult(op, store.create(op.name, op.role));
  if (op.kind === "list") return printTokenResult(op, store.list());
  store.revoke(op.name);
  return printTokenResult(op, undefined);
}

/** The CLI as the `nsatlas` bin runs it: with NSATLAS_DATABASE_URL, token and audit commands
 * work on PostgreSQL (and answer later); otherwise on the data dir, as `main`. */
export function run(argv: string[]): number | Promise<number> {
  let database: DatabaseSettings | null = null;
  try {
    database = ["token", "audit"].includes(argv[0] ?? "") ? databaseFrom() : null;
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`nsatlas: ${err.message}\n`);
    return 2;
  }
  if (database === null) return main(argv);
  return pgMain(database, argv, `cli:${userInfo().username}`).catch(cliFailure);
}

/** Exit code and message of an error of a command (rethrows a bug). */
export function cliFailure(err: unknown): number {
  if (err instanceof CliUsage) {
    process.stderr.write(`nsatlas: ${err.message}\n${USAGE}`);
    return 2;
  }
  if (err instanceof CliUnreadable || err instanceof DatabaseError || err instanceof AuditFileError) {
    process.stderr.write(`nsatlas: ${err.message}\n`);
    return 2;
  }
  if (err instanceof TokenError) {
    process.stderr.write(`nsatlas: ${err.message}\n`);
    return 1;
  }
  throw err;
}

/** The `nsatlas` admin CLI, working on the same data dir as the server. */
export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === "-h" || command === "--help") {
      process.stdout.write(USAGE);
      return 0;
    }
    // Changes made here are audit events like the server's, by "cli:<unix user>".
    const actor = `cli:${userInfo().username}`;
    if (command === "audit") return auditCommand(dataDirFrom(), rest, actor);
    if (command !== "token") throw new CliUsage(command ? `unknown command: ${command}` : "missing command");
    const dir = dataDirFrom();
    const dbPath = join(dir, "nsatlas.db");
    if (!existsSync(dir)) ensureDataDir(dir);
    const db = openDatabase(dbPath);
    let audit: AuditLog | null = null;
    try {
      audit = openAuditLog(db, dir, stderrNotes);
      return tokenCommand(
        rest,
        new TokenStore(
          db,
          undefined,
          auditTokenChanges(() => audit, actor, null),
        ),
      );
    } finally {
      // The CLI's own appends are signed before it exits (its "shutdown").
      audit?.checkpoint("shutdown");
      db.close();
    }
  } catch (err) {
    return cliFailure(err);
  }
}
