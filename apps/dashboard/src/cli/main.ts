import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { AuditFileError, type AuditLog, DatabaseError, openDatabase, TokenError, TokenStore } from "@nsatlas/hub";
import { auditTokenChanges, openAuditLog } from "../server/audit-setup.js";
import { ensureDataDir } from "../server/data-dir.js";
import { dataDirFrom } from "../server/env.js";
import { auditCommand } from "./audit-command.js";
import { CliUnreadable, CliUsage } from "./cli-errors.js";
import { stderrNotes } from "./stderr-notes.js";

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
`;

function flagValue(args: string[], name: string): string {
  const i = args.indexOf(name);
  const v = i >= 0 ? args[i + 1] : undefined;
  if (v === undefined || v.startsWith("--")) throw new CliUsage(`${name} is required`);
  return v;
}

function tokenCommand(args: string[], store: TokenStore): number {
  const [sub, ...rest] = args;
  switch (sub) {
    case "create": {
      const known = new Set(["--role", "--name"]);
      for (let i = 0; i < rest.length; i += 2) {
        if (!known.has(rest[i] ?? "")) throw new CliUsage(`unknown option: ${rest[i]}`);
      }
      const secret = store.create(flagValue(rest, "--name"), flagValue(rest, "--role"));
      process.stdout.write(`${secret}\n`);
      return 0;
    }
    case "list": {
      if (rest.length > 0) throw new CliUsage(`unexpected argument: ${rest[0]}`);
      const rows = store.list();
      process.stdout.write("NAME\tROLE\tCREATED\tREVOKED\n");
      for (const t of rows) process.stdout.write(`${t.name}\t${t.role}\t${t.createdAt}\t${t.revokedAt ?? "-"}\n`);
      return 0;
    }
    case "revoke": {
      if (rest.length !== 1 || !rest[0]) throw new CliUsage("token revoke takes exactly one NAME");
      store.revoke(rest[0]);
      process.stdout.write(`revoked ${rest[0]}\n`);
      return 0;
    }
    default:
      throw new CliUsage(`unknown token command: ${sub ?? "(none)"}`);
  }
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
}
