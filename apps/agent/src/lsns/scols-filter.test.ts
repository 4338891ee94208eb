import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LsnsUsageError } from "./getopt.js";
import { evaluateFilter, type FilterCell, filterHolders, parseFilter } from "./scols-filter.js";

const row: Record<string, FilterCell> = {
  NS: { text: "4026532000", type: "number" },
  TYPE: { text: "net", type: "string" },
  NPROCS: { text: "2", type: "number" },
  NSFS: { text: null, type: "string" },
  COMMAND: { text: "sleep 1000", type: "string" },
};
const holds = (expr: string) =>
  evaluateFilter(parseFilter(expr), (name) => row[name.toUpperCase()] ?? { text: null, type: "string" });

describe("scols filter expressions", () => {
  it("compares numbers as numbers and strings as strings, in symbol and word forms", () => {
    expect(holds("NPROCS == 2")).toBe(true);
    expect(holds("NPROCS eq 2 && NPROCS GE 2 and NPROCS le 2")).toBe(true);
    expect(holds("NPROCS > 10")).toBe(false); // 2 > 10 is false as numbers, true as strings
    expect(holds('TYPE == "net"')).toBe(true);
    expect(holds("TYPE != 'net'")).toBe(false);
    expect(holds("NS >= 4026532000 AND NS lt 4026532001")).toBe(true);
    expect(holds("NPROCS < 1K")).toBe(true);
    expect(holds("NPROCS > 1.5")).toBe(true);
  });

  it("binds ! tighter than comparisons, comparisons tighter than && and && tighter than ||", () => {
    expect(holds('TYPE == "pid" || TYPE == "net" && NPROCS == 2')).toBe(true);
    expect(holds('(TYPE == "pid" || TYPE == "net") && NPROCS == 3')).toBe(false);
    expect(holds("!(NPROCS == 2)")).toBe(false);
    expect(holds("not NSFS")).toBe(true);
    expect(holds("NOT NPROCS == 2 || TYPE")).toBe(true);
  });

  it("matches regular expressions with =~ and !~, and treats a holder alone as 'not empty'", () => {
    expect(holds('COMMAND =~ "^sleep [0-9]+$"')).toBe(true);
    expect(holds('COMMAND !~ "sleep"')).toBe(false);
    expect(holds('NSFS =~ ""')).toBe(true);
    expect(holds("NSFS")).toBe(false);
    expect(holds("COMMAND")).toBe(true);
    expect(holds('NSFS == ""')).toBe(true);
    expect(holds("NSFS < 1")).toBe(false);
    expect(holds("true && !false")).toBe(true);
  });

  it("names the columns an expression uses", () => {
    expect(filterHolders(parseFilter('NS == 1 && (TYPE =~ "x" || !pid)'))).toEqual(["NS", "TYPE", "pid"]);
  });

  it("refuses malformed expressions with lsns's message", () => {
    for (const bad of [
      "",
      "NS ==",
      "(NS",
      "NS == 1)",
      "NS =~ 1",
      '"unterminated',
      "NS = 1",
      "&& NS",
      "NS $ 1",
      'NS =~ "("',
    ]) {
      expect(() => parseFilter(bad), bad).toThrow(LsnsUsageError);
      expect(() => parseFilter(bad)).toThrow(/^failed to parse "/);
    }
  });

  it("fuzz: any text parses or is an LsnsUsageError; evaluation never throws", () => {
    const piece = fc.constantFrom(
      "NS",
      "TYPE",
      "NPROCS",
      "NSFS",
      "==",
      "!=",
      "<",
      "<=",
      ">",
      ">=",
      "=~",
      "!~",
      "&&",
      "||",
      "!",
      "and",
      "OR",
      "not",
      "eq",
      "(",
      ")",
      '"net"',
      "'x'",
      "2",
      "1K",
      "1.5",
      "true",
      " ",
    );
    const text = fc.oneof(
      fc.array(piece, { maxLength: 8 }).map((p) => p.join(" ")),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (t) => {
        let expr: ReturnType<typeof parseFilter>;
        try {
          expr = parseFilter(t);
        } catch (err) {
          if (!(err instanceof LsnsUsageError)) throw err;
          return;
        }
        expect(typeof evaluateFilter(expr, (n) => row[n] ?? { text: null, type: "string" })).toBe("boolean");
      }),
      { numRuns: 3000 },
    );
  });
});
