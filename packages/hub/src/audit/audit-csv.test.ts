import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./audit-csv.js";

describe("csvCell", () => {
  it("prefixes texts a spreadsheet would run as a formula (=, +, -, @, tab, CR) with a quote", () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe(`"'\rx"`);
  });

  it("leaves other texts, numbers and null as they are", () => {
    expect(csvCell("alice")).toBe("alice");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell(-1)).toBe("-1");
    expect(csvCell(null)).toBe("");
    expect(csvLine(["a,b", 'say "hi"'])).toBe('"a,b","say ""hi"""\r\n');
  });
});
