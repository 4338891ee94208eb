import type { AuditEvent } from "@nsatlas/protocol";
import { csvLine } from "@nsatlas/protocol/csv";
import { auditRowCells } from "./audit-row.js";

const HEADER = [
  "seq",
  "ts",
  "actor",
  "role",
  "sourceIp",
  "requestId",
  "action",
  "targetHost",
  "targetNamespace",
  "targetName",
  "params",
  "planHash",
  "result",
  "error",
  "prevHash",
  "hash",
  "digest",
];

function auditCsvRow(e: AuditEvent): string {
  return csvLine(auditRowCells(e, JSON.stringify(e.params)));
}

/** Audit rows as CSV (params as their JSON text), header first. */
export function auditCsv(events: Iterable<AuditEvent>): string {
  let out = "";
  for (const chunk of auditExportText([[...events]], "csv")) out += chunk;
  return out;
}

/** The export (`{"events": [...]}` JSON, or CSV) a page at a time: the text before the first
 * page, each page's text, and the text after the last. */
function exportEncoder(format: "json" | "csv") {
  let first = true;
  return {
    head: () => (format === "csv" ? csvLine(HEADER) : '{"events":['),
    page(page: AuditEvent[]): string {
      if (format === "csv") return page.map(auditCsvRow).join("");
      if (page.length === 0) return "";
      const text = `${first ? "\n" : ",\n"}${page.map((r) => JSON.stringify(r)).join(",\n")}`;
      first = false;
      return text;
    },
    tail: () => (format === "csv" ? "" : "\n]}\n"),
  };
}

/** The export (`{"events": [...]}` JSON, or CSV) as text chunks, one per page of rows: a
 * caller writes each as it comes and never holds the whole export. */
export function* auditExportText(pages: Iterable<AuditEvent[]>, format: "json" | "csv"): Generator<string> {
  const e = exportEncoder(format);
  yield e.head();
  for (const page of pages) yield e.page(page);
  yield e.tail();
}

/** auditExportText of pages read from a database that answers later (PostgreSQL). */
export async function* auditExportChunks(
  pages: Iterable<AuditEvent[]> | AsyncIterable<AuditEvent[]>,
  format: "json" | "csv",
): AsyncGenerator<string> {
  const e = exportEncoder(format);
  yield e.head();
  for await (const page of pages) yield e.page(page);
  yield e.tail();
}
