// The one CSV writer: audit and history exports on the server, table downloads in the browser.

// A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(…), +cmd|…),
// tab and carriage return included (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field: quoted when it holds a comma, quote or line break (a bare `\r` too). A
 * text that a spreadsheet would run as a formula gets a leading `'` (numbers are written as
 * they are). */
export function csvCell(v: string | number | null): string {
  const raw = v === null ? "" : String(v);
  const s = typeof v === "string" && FORMULA_START.test(v) ? `'${raw}` : raw;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export function csvLine(cells: ReadonlyArray<string | number | null>): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
