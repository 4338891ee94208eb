import { existsSync } from "node:fs";
import { join } from "node:path";
import { auditExportChunks, openPgDatabase, PgTokenStore, readAnchor } from "@nsatlas/hub";
import { AUDIT_ANCHOR_FILE, auditTokenChanges, openPgAuditLog } from "../server/audit-setup.js";
import { type DatabaseSettings, dataDirFrom, parseSettingDuration, SettingsError } from "../server/env.js";
import { CliUsage } from "./cli-errors.js";
import { stderrNotes } from "./stderr-notes.js";
import { parseTokenCommand, printTokenResult } from "./token-command.js";

/** `nsatlas token …` and `nsatlas audit verify|export|prune` on the PostgreSQL database every
 * replica shares (NSATLAS_DATABASE_URL), with the replicas' key files. The anchor checked by
 * `verify` is `--anchor FILE`, else this data dir's when it has one. */
export async function pgMain(database: DatabaseSettings, argv: string[], actor: string): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === "audit" && sub === "keys")
    throw new CliUsage("audit keys makes files: run it without NSATLAS_DATABASE_URL");
  const pg = await openPgDatabase(database.url, { max: 2 });
  try {
    const audit = await openPgAuditLog(pg, database, null, stderrNotes);
    try {
      if (command === "token") {
        const tokens = new PgTokenStore(
          pg,
          undefined,
          auditTokenChanges(() => audit, actor, null),
        );
        const op = parseTokenCommand(argv.slice(1));
        if (op.kind === "create") return printTokenResult(op, await tokens.create(op.name, op.role));
        if (op.kind === "list") return printTokenResult(op, await tokens.list());
        await tokens.revoke(op.name);
        return printTokenResult(op, undefined);
      }
      if (sub === "verify") {
        if (rest.length !== 0 && (rest.length !== 2 || rest[0] !== "--anchor")) {
          throw new CliUsage("with NSATLAS_DATABASE_URL, audit verify takes only --anchor FILE");
        }
        const anchorPath = rest[1] ?? join(dataDirFrom(), AUDIT_ANCHOR_FILE);
        const anchor = rest[1] !== undefined || existsSync(anchorPath) ? readAnchor(anchorPath) : null;
        const result = await audit.verifyAsync(anchor);
        if (!result.ok) {
          process.stderr.write(`nsatlas: audit log broken at seq ${result.brokenAt}: ${result.reason}\n`);
          return 1;
        }
        const head = result.head ? `head seq ${result.head.seq}` : "empty";
        process.stdout.write(
          `audit log intact: ${result.rows} rows, ${head}${anchor ? `, anchor seq ${anchor.seq}` : ", no anchor"}\n`,
        );
        return 0;
      }
      if (sub === "export") {
        const format = rest[0] === "--format" ? rest[1] : rest.length === 0 ? "json" : undefined;
        if (format !== "json" && format !== "csv")
          throw new CliUsage("with NSATLAS_DATABASE_URL: audit export [--format json|csv]");
        for await (const chunk of auditExportChunks(audit.pages(500), format)) process.stdout.write(chunk);
        return 0;
      }
      if (sub === "prune") {
        if (rest[0] !== "--older-than" || rest[1] === undefined || rest.length !== 2) {
          throw new CliUsage("audit prune needs --older-than DURATION (e.g. 365d)");
        }
        let ms: number;
        try {
          ms = parseSettingDuration("--older-than", rest[1]);
        } catch (err) {
          if (err instanceof SettingsError) throw new CliUsage(err.message);
          throw err;
        }
        const gone = await audit.prune(new Date(Date.now() - ms), actor);
        process.stdout.write(`pruned ${gone} audit rows (the prune itself is recorded)\n`);
        return 0;
      }
      throw new CliUsage(`unknown audit command: ${sub ?? "(none)"}`);
    } finally {
      // The CLI's own appends are signed before it exits (its "shutdown").
      if (command === "token") await audit.checkpoint("shutdown");
    }
  } finally {
    await pg.close();
  }
}
