import { describe, expect, it } from "vitest";
import { addLine, type PrintMode, printScols, type ScolsColumn, type ScolsTable } from "./scols-print.js";

const column = (name: string, o: Partial<ScolsColumn> = {}): ScolsColumn => ({
  name,
  whint: 0,
  right: false,
  trunc: false,
  wrap: false,
  json: "string",
  tree: false,
  ...o,
});
const mode = (o: Partial<PrintMode> = {}): PrintMode => ({
  json: false,
  raw: false,
  noHeadings: false,
  isTerm: false,
  termWidth: 80,
  utf8: true,
  ...o,
});

function sample(): ScolsTable {
  const t: ScolsTable = {
    name: "namespaces",
    columns: [
      column("NS", { whint: 10, right: true, json: "number" }),
      column("TYPE", { whint: 5 }),
      column("PID", { whint: 5, right: true, json: "number" }),
      column("COMMAND", { trunc: true, tree: true }),
    ],
    lines: [],
  };
  const root = addLine(t, ["4026531836", "pid", "1", "init splash"], null);
  addLine(t, ["4026532001", "pid", "120", 'sh -c "x\ty"'], root);
  addLine(t, ["4026532002", "pid", null, null], root);
  return t;
}

describe("printScols (libsmartcols' output for lsns)", () => {
  it("sizes columns by data and header, growing to the width hint only past the header", () => {
    // TYPE data (3) < header (4): header width; PID data (3) == header (3): grows to the hint 5.
    expect(printScols(sample(), mode())).toBe(
      [
        "        NS TYPE   PID COMMAND",
        "4026531836 pid      1 init splash",
        '4026532001 pid    120 ├─sh -c "x\\x09y"',
        "4026532002 pid        └─",
        "",
      ].join("\n"),
    );
  });

  it("draws ASCII trees outside UTF-8 locales and leaves headings out with -n", () => {
    expect(printScols(sample(), mode({ utf8: false, noHeadings: true })).split("\n")[2]).toBe(
      "4026532002 pid        `-",
    );
  });

  it("escapes blanks, backslashes and non-ASCII bytes in raw output, art included", () => {
    expect(printScols(sample(), mode({ raw: true }))).toBe(
      [
        "NS TYPE PID COMMAND",
        "4026531836 pid 1 init\\x20splash",
        '4026532001 pid 120 \\xe2\\x94\\x9c\\xe2\\x94\\x80sh\\x20-c\\x20"x\\x09y"',
        "4026532002 pid  \\xe2\\x94\\x94\\xe2\\x94\\x80",
        "",
      ].join("\n"),
    );
  });

  it("prints JSON as lsns: 3-space indents, numbers bare, empty cells null, children nested", () => {
    expect(printScols(sample(), mode({ json: true }))).toBe(`{
   "namespaces": [
      {
         "ns": 4026531836,
         "type": "pid",
         "pid": 1,
         "command": "init splash",
         "children": [
            {
               "ns": 4026532001,
               "type": "pid",
               "pid": 120,
               "command": "sh -c \\"x\\ty\\""
            },{
               "ns": 4026532002,
               "type": "pid",
               "pid": null,
               "command": null
            }
         ]
      }
   ]
}
`);
    const empty: ScolsTable = { name: "namespaces", columns: [column("NS")], lines: [] };
    expect(printScols(empty, mode({ json: true }))).toBe('{\n   "namespaces": [\n\n   ]\n}\n');
    expect(printScols(empty, mode())).toBe("");
  });

  it("truncates only the truncatable column to fit a terminal, never below its header", () => {
    const out = printScols(sample(), mode({ isTerm: true, termWidth: 30 }));
    expect(out.split("\n")[1]).toBe("4026531836 pid      1 init spl");
    expect(printScols(sample(), mode({ isTerm: true, termWidth: 10 })).split("\n")[1]).toBe(
      "4026531836 pid      1 init sp",
    );
  });

  it("prints multi-line cells one value per line, aligned under their column", () => {
    const t: ScolsTable = {
      name: "namespaces",
      columns: [column("NS", { whint: 10, right: true }), column("NSFS", { wrap: true }), column("PID")],
      lines: [],
    };
    addLine(t, ["4026532001", "/run/netns/a\n/mnt/pin", "7"], null);
    expect(printScols(t, mode())).toBe(
      ["        NS NSFS         PID", "4026532001 /run/netns/a 7", "           /mnt/pin     ", ""].join("\n"),
    );
  });
});
