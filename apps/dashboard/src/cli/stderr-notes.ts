import type { AuditNotes } from "../server/audit-setup.js";

/** What opening the audit log created or repaired, told on stderr (stdout stays the command's). */
export const stderrNotes: AuditNotes = {
  info: (line) => process.stderr.write(`nsatlas: ${line}\n`),
  warn: (line) => process.stderr.write(`nsatlas: ${line}\n`),
};
