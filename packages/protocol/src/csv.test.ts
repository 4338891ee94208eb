import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv.js";

/** A strict RFC 4180 reader of one record (CRLF-terminated), to read back what csvLine wrote. */
function readRecord(text: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error("unterminated quote");
        cell += text.slice(i, q);
        if (text[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const end = text.slice(i).search(/[,\r]/);
      if (end < 0) throw new Error("record not terminated");
      cell = text.slice(i, i + end);
      if (/[\n"]/.test(cell)) throw new Error(`unquoted special character in ${JSON.stringify(cell)}`);
      i += end;
    }
    cells.push(cell);
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text.slice(i) !== "\r\n") throw new Error(`junk after a cell: ${JSON.stringify(text.slice(i))}`);
    return cells;
  }
}

describe("csvCell", () => {
  it("prefixes texts a spreadsheet would run as a formula (=, +, -, @, tab, CR) with a quote", () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe(`"'\rx"`);
  });

  it("quotes a bare carriage return inside a text", () => {
    expect(csvCell("a\rb")).toBe('"a\rb"');
  });

  it("leaves other texts, numbers and null as they are", () => {
    expect(csvCell("alice")).toBe("alice");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell(-1)).toBe("-1");
    expect(csvCell(null)).toBe("");
    expect(csvLine(["a,b", 'say "hi"'])).toBe('"a,b","say ""hi"""\r\n');
  });
});

describe("csvLine", () => {
  const cell = fc.oneof(
    fc.string({ unit: fc.constantFrom("a", " ", ",", '"', "\r", "\n", "=", "+", "-", "@", "\t", "é") }),
    fc.string({ unit: "grapheme" }),
    fc.integer(),
    fc.constant(null),
  );

  it("reads back as the same cells under a strict RFC 4180 reader, formula starts quoted", () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (cells) => {
        const expected = cells.map((v) =>
          v === null ? "" : typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v),
        );
        expect(readRecord(csvLine(cells))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
