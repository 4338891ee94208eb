// Output as util-linux's libsmartcols prints it for lsns: the table (column widths, alignment,
// tree drawing, truncation to the terminal), raw (-r) and JSON (-J).
import { displayWidth, jsonQuote, rawEncode, safeEncode, truncateToWidth } from "./scols-text.js";

/** A column as libsmartcols takes it: header, width hint (>= 1: a minimum the column grows
 * to; 0: none) and flags. */
export interface ScolsColumnSpec {
  name: string;
  whint: number;
  right: boolean;
  /** May be truncated to fit a terminal. */
  trunc: boolean;
  /** Multi-line cell: values separated by "\n" print one per output line. */
  wrap: boolean;
  json: "number" | "string";
}

export interface ScolsColumn extends ScolsColumnSpec {
  /** The column that draws the tree. */
  tree: boolean;
}

export interface ScolsLine {
  cells: (string | null)[];
  parent: ScolsLine | null;
  children: ScolsLine[];
}

export interface ScolsTable {
  /** JSON: the name of the top-level array. */
  name: string;
  columns: ScolsColumn[];
  /** Every line in insertion order (the order of list output). */
  lines: ScolsLine[];
}

export interface PrintMode {
  json: boolean;
  raw: boolean;
  noHeadings: boolean;
  /** Output is a terminal: fit widths to termWidth. */
  isTerm: boolean;
  termWidth: number;
  /** Tree drawing with box characters (a UTF-8 locale) or ASCII. */
  utf8: boolean;
}

/** Adds a line under parent (null: a root). */
export function addLine(table: ScolsTable, cells: (string | null)[], parent: ScolsLine | null): ScolsLine {
  const line: ScolsLine = { cells, parent, children: [] };
  table.lines.push(line);
  if (parent) parent.children.push(line);
  return line;
}

/** Removes a line that has no children yet (a filtered-out line). */
export function removeLine(table: ScolsTable, line: ScolsLine): void {
  table.lines.splice(table.lines.lastIndexOf(line), 1);
  if (line.parent) line.parent.children.splice(line.parent.children.lastIndexOf(line), 1);
}

const isTree = (t: ScolsTable) => t.columns.some((c) => c.tree);

/** Lines in print order: depth first from the roots when the table is a tree. */
function printOrder(t: ScolsTable): ScolsLine[] {
  if (!isTree(t)) return t.lines;
  const out: ScolsLine[] = [];
  const walk = (l: ScolsLine) => {
    out.push(l);
    for (const c of l.children) walk(c);
  };
  for (const l of t.lines) if (l.parent === null) walk(l);
  return out;
}

interface Art {
  vert: string;
  branch: string;
  right: string;
  blank: string;
}
const UTF8_ART: Art = { vert: "\u2502 ", branch: "\u251c\u2500", right: "\u2514\u2500", blank: "  " };
const ASCII_ART: Art = { vert: "| ", branch: "|-", right: "`-", blank: "  " };

const isLastChild = (l: ScolsLine) => {
  const sibs = l.parent?.children;
  return sibs !== undefined && sibs[sibs.length - 1] === l;
};

/** Vertical lines of the ancestry of l, l's own level included. */
function levelsArt(l: ScolsLine, art: Art): string {
  if (!l.parent) return "";
  return levelsArt(l.parent, art) + (isLastChild(l) ? art.blank : art.vert);
}

function branchArt(l: ScolsLine, art: Art): string {
  if (!l.parent) return "";
  return levelsArt(l.parent, art) + (isLastChild(l) ? art.right : art.branch);
}

function jsonValue(col: ScolsColumn, text: string | null): string {
  if (text === null || text === "") return "null";
  return col.json === "number" ? text : jsonQuote(text);
}

function printJson(t: ScolsTable): string {
  const keys = t.columns.map((c) => jsonQuote(c.name.toLowerCase()));
  const tree = isTree(t);
  const objects = (lines: readonly ScolsLine[], ind: number): string =>
    lines
      .map((l) => {
        const pad = " ".repeat(ind + 3);
        const fields = t.columns.map((c, i) => `${pad}${keys[i]}: ${jsonValue(c, l.cells[i] ?? null)}`);
        if (tree && l.children.length > 0) fields.push(`${pad}"children": [\n${objects(l.children, ind + 6)}\n${pad}]`);
        return `{\n${fields.join(",\n")}\n${" ".repeat(ind)}}`;
      })
      .join(",")
      .replace(/^/, " ".repeat(ind));
  const roots = tree ? t.lines.filter((l) => l.parent === null) : t.lines;
  const body = roots.length > 0 ? objects(roots, 6) : "";
  return `{\n   ${jsonQuote(t.name)}: [\n${body}\n   ]\n}\n`;
}

function printRaw(t: ScolsTable, mode: PrintMode, art: Art): string {
  let out = "";
  if (!mode.noHeadings) out += `${t.columns.map((c) => rawEncode(c.name)).join(" ")}\n`;
  for (const l of printOrder(t)) {
    const cells = t.columns.map((c, i) => {
      const text = l.cells[i] ?? "";
      return rawEncode(c.tree ? branchArt(l, art) + text : text);
    });
    out += `${cells.join(" ")}\n`;
  }
  return out;
}

interface Sized {
  col: ScolsColumn;
  width: number;
  min: number;
  treeart: number;
}

/** The cell's text as the table shows it: encoded, one entry per output line. */
function chunks(col: ScolsColumn, text: string | null): string[] {
  const t = text ?? "";
  return col.wrap ? t.split("\n").map(safeEncode) : [safeEncode(t)];
}

/** libsmartcols' width calculation: data and header, hints, then truncation to the terminal. */
function columnWidths(t: ScolsTable, rows: ScolsLine[], art: Art, mode: PrintMode): Sized[] {
  const sized = t.columns.map((col, i): Sized => {
    let width = 0;
    let treeart = 0;
    for (const l of rows) {
      const prefix = col.tree ? branchArt(l, art) : "";
      treeart = Math.max(treeart, displayWidth(prefix));
      for (const chunk of chunks(col, l.cells[i] ?? null)) width = Math.max(width, displayWidth(prefix + chunk));
    }
    const min = Math.max(displayWidth(col.name), 1);
    if (width < min) width = min;
    else if (col.whint >= 1 && width < col.whint && min < col.whint) width = col.whint;
    return { col, width, min, treeart };
  });
  if (!mode.isTerm) return sized;
  let total = sized.reduce((s, c) => s + c.width, 0) + Math.max(0, sized.length - 1);
  // Only columns flagged for truncation give way (lsns sets no relative width hints).
  while (total > mode.termWidth) {
    const before = total;
    for (const s of sized) {
      if (total <= mode.termWidth) break;
      if (s.width === s.min || s.width === 0) continue;
      if (s.col.tree && total <= s.treeart) continue;
      if (!s.col.trunc) continue;
      s.width--;
      total--;
    }
    if (before === total) break;
  }
  return sized;
}

function printTableMode(t: ScolsTable, mode: PrintMode, art: Art): string {
  const rows = printOrder(t);
  const sized = columnWidths(t, rows, art, mode);
  const last = sized.length - 1;
  const out: string[] = [];

  const emptyCell = (i: number, l: ScolsLine | null, pending: boolean): string => {
    const s = sized[i] as Sized;
    let text = "";
    if (l && s.col.tree) {
      text = l.parent ? levelsArt(l, art) : "";
      if (l.children.length > 0 && (pending || !l.parent)) text += art.vert;
    }
    if (i === last) return text;
    return `${text + " ".repeat(Math.max(0, s.width - displayWidth(text)))} `;
  };

  const cell = (i: number, text: string, l: ScolsLine | null): string => {
    const s = sized[i] as Sized;
    let data = text;
    let width = s.width;
    let len = displayWidth(data);
    if (i === last && len < width && !s.col.right) width = len;
    if (len > width && s.col.trunc) {
      data = truncateToWidth(data, width);
      len = displayWidth(data);
    }
    let o = s.col.right && len < width ? " ".repeat(width - len) + data : data;
    if (!s.col.right && len < width) o += " ".repeat(width - len);
    if (i === last) return o;
    if (len > width && !s.col.trunc) {
      // Too wide and not truncatable: the next column starts on a new line, in its place.
      let pad = "\n";
      for (let j = 0; j <= i; j++) pad += emptyCell(j, l, false);
      return o + pad;
    }
    return `${o} `;
  };

  if (!mode.noHeadings) out.push(sized.map((s, i) => cell(i, s.col.name, null)).join(""));
  for (const l of rows) {
    const parts = t.columns.map((c, i) => chunks(c, l.cells[i] ?? null));
    const prefix = t.columns.map((c) => (c.tree ? branchArt(l, art) : ""));
    out.push(parts.map((p, i) => cell(i, (prefix[i] ?? "") + (p[0] ?? ""), l)).join(""));
    const depth = Math.max(...parts.map((p) => p.length));
    for (let k = 1; k < depth; k++) {
      out.push(
        parts
          .map((p, i) => {
            const chunk = p[k];
            return chunk === undefined ? emptyCell(i, l, k < depth - 1 || p.length > k) : cell(i, chunk, l);
          })
          .join(""),
      );
    }
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** The whole output of one table; an empty table prints nothing but in JSON. */
export function printScols(t: ScolsTable, mode: PrintMode): string {
  if (mode.json) return printJson(t);
  if (t.lines.length === 0) return "";
  const art = mode.utf8 ? UTF8_ART : ASCII_ART;
  return mode.raw ? printRaw(t, mode, art) : printTableMode(t, mode, art);
}
